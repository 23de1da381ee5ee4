import type { ExecutionResult } from '../core/execution-result.js';
import type { ReplayOptions } from '../core/replay-command.js';

/**
 * What the replay of one saved failure says about it:
 * - `failing`: its schedule still fails (any violation): the scenario's finding;
 * - `fixed`: it ran to the end, as saved, and passed;
 * - `stale`: it no longer follows its schedule (the code changed, or the run is not deterministic);
 * - `unverified`: it could not replay as saved (other `--instrument` patterns than this
 *   process's loader has) and did not fail as replayed: neither fixed nor stale;
 * - `error`: setup or teardown failed: not judged (the exploration that follows reports it).
 */
export type CorpusVerdict = 'failing' | 'fixed' | 'stale' | 'unverified' | 'error';

/** Judges one replay; `faithful`: it ran with the options the failure was saved with. */
export function judgeReplay(status: ExecutionResult['status'], faithful: boolean): CorpusVerdict {
  switch (status) {
    case 'violation':
      return 'failing';
    case 'error':
      return 'error';
    case 'pass':
      return faithful ? 'fixed' : 'unverified';
    case 'diverged':
      return faithful ? 'stale' : 'unverified';
  }
}

/**
 * The options a saved failure replays with inside a run: its own `--max-steps` and
 * `--timers`; its `--instrument` patterns only if they are the run's, since the loader's
 * patterns are fixed for the process.
 */
export function corpusReplayOptions(saved: ReplayOptions, run: ReplayOptions): ReplayOptions {
  return { maxSteps: saved.maxSteps, timers: saved.timers, instrument: [...run.instrument] };
}

function patterns(list: readonly string[]): string {
  return list.length === 0 ? 'no package' : list.map((p) => `\`${p}\``).join(', ');
}

/** Why an unverified failure was neither fixed nor stale, and how to check it as saved. */
export function unverifiedReason(file: string, saved: readonly string[], run: readonly string[], status: 'pass' | 'diverged'): string {
  const what = saved.length === 0 ? 'without --instrument' : `with ${saved.map((p) => `--instrument ${p}`).join(' ')}`;
  return (
    `it was explored ${what}, but this run instruments ${patterns(run)} (race-hunt instruments with one set of patterns per process), ` +
    `so it could not be replayed as saved; replayed as this run instruments, it ${status === 'pass' ? 'passed' : 'no longer followed its schedule'}. ` +
    `Check it as saved with: npx race-hunt replay ${file}`
  );
}

/** The one-line warning for a file named for a scenario that cannot be used. */
export function unreadableWarning(file: string, problem: string): string {
  return `${file} is not a usable failure file (${problem}); skipped. Delete it: running the scenario again saves any failure it finds.`;
}
