import { RaceHuntError } from '../core/errors.js';
import type { ReplayOptions } from '../core/replay-command.js';
import { DEFAULT_MAX_STEPS } from '../core/replay-command.js';
import type { Reporter } from '../reporters/reporter.js';
import type { ExecutionSettings } from '../runtime/run-execution.js';
import type { StrategyName } from '../strategies/registry.js';
import type { Shard } from '../core/shard.js';

/** Options shared by every entry point. */
export interface CommonOptions {
  /** Steps per execution before it counts as a livelock (`step-limit`). Default 10,000. */
  readonly maxSteps?: number;
  /** `fuzz` (default): a pending timer may fire at any step. `strict`: only when nothing else is ready. */
  readonly timers?: 'fuzz' | 'strict';
  /** Package-name patterns under node_modules to instrument as well (`async-mutex`, `@acme/*`). */
  readonly instrument?: readonly string[];
  /** The directory paths, trace locations and `.race-hunt/` are relative to. Default `process.cwd()`. */
  readonly cwd?: string;
  readonly reporter?: Reporter;
}

/** Options of shrinking a found failure, and of the bug report written for it. */
export interface ShrinkOptions {
  /**
   * Replay the scenario's saved failures (`.race-hunt/failures/`) before exploring, and save
   * what is found there (default true). With `false`, neither: a violation is kept only in
   * the report (its replay command reproduces it).
   */
  readonly corpus?: boolean;
  /** Remove the saved failures that now pass (fixed) or no longer fit the code (stale). Needs the corpus. */
  readonly pruneCorpus?: boolean;
  /** Write a bug report (Markdown, SVG swimlane, HTML) for every violation into this directory. */
  readonly reportDir?: string;
  /** Shrink found failures (default true). */
  readonly shrink?: boolean;
  /** Wall-time budget of shrinking one failure, in milliseconds. Default 10,000. */
  readonly shrinkTimeMs?: number;
}

/** How one scenario is explored: what `run()` and `explore()` take alike. */
export interface ExplorationOptions extends CommonOptions, ShrinkOptions {
  /** Executions per scenario at most. Default 1,000 (100,000 for `dfs`, `delay` and `dpor`, which stop when their space is covered). */
  readonly runs?: number;
  /** How to explore. Default `portfolio`. */
  readonly strategy?: StrategyName;
  /** `pct` and `sites`: the bug depth d, d − 1 priority change points (default 3). */
  readonly depth?: number;
  /** `dfs`: the preemption bound (default 2). */
  readonly preemptions?: number;
  /** `delay`: the delay bound (default 2). */
  readonly delays?: number;
  /** Seeds the exploration; the same seed explores the same schedules. Default: a fresh random seed. */
  readonly seed?: number;
  /** Total exploration time, shared fairly between the scenarios; with no `runs`, the only limit. */
  readonly timeBudgetMs?: number;
}

export interface RunOptions extends ExplorationOptions {
  /** Only scenarios with exactly this name or, failing that, whose name contains it. */
  readonly scenario?: string;
  /**
   * Worker threads to explore in (default 0: this thread). With workers, a run that hangs
   * (`--run-timeout`) or kills its thread is reported, not fatal, and a scenario's runs are
   * shared between the workers with the same results for any number of them.
   */
  readonly workers?: number;
  /** With workers: a run whose worker makes no progress for this long is stopped and reported as `timeout`. Default 5 s. */
  readonly runTimeoutMs?: number;
  /** Stops exploring at the next run (Ctrl-C): the report holds what was explored, with `interrupted`. */
  readonly signal?: AbortSignal;
  /**
   * Explore one shard of the scenarios, for CI jobs that split them (`--shard 2/4`): every
   * scenario is in exactly one of `count` shards, the same one in every job.
   */
  readonly shard?: Shard;
}

export interface ReplayRequest extends CommonOptions {
  /** The scenario's name (exact, or a substring that matches one scenario). */
  readonly scenario: string;
  /** The schedule token from a report. */
  readonly schedule: string;
  /** Replay in a worker thread, stopped (a `timeout`) when it makes no progress this long. Default: in this thread. */
  readonly runTimeoutMs?: number;
}

export const DEFAULT_RUNS = 1000;
/** A run's worker may make no progress this long before the run counts as hung. */
export const DEFAULT_RUN_TIMEOUT_MS = 5000;
/** Systematic strategies stop by themselves when their space is covered; this only caps them. */
export const DEFAULT_SYSTEMATIC_RUNS = 100_000;
export const DEFAULT_SHRINK_TIME_MS = 10_000;

/** Common options, checked and with defaults filled in. */
export interface Resolved {
  readonly cwd: string;
  readonly replayOptions: ReplayOptions;
  readonly reporter: Reporter;
  readonly shrink: boolean;
  readonly shrinkTimeMs: number;
  readonly reportDir?: string;
  readonly corpus: boolean;
  readonly pruneCorpus: boolean;
}

export function resolveCommon(options: CommonOptions & ShrinkOptions): Resolved {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new RaceHuntError('BAD_OPTION', `--max-steps must be a positive whole number; got ${String(options.maxSteps)}.`);
  }
  const timers = options.timers ?? 'fuzz';
  if (timers !== 'fuzz' && timers !== 'strict') {
    throw new RaceHuntError('BAD_OPTION', `--timers must be "fuzz" or "strict"; got "${String(timers)}".`);
  }
  const instrument = [...(options.instrument ?? [])];
  for (const pattern of instrument) {
    if (!/^(@[\w.*-]+\/)?[\w.*-]+$/.test(pattern)) {
      throw new RaceHuntError('BAD_OPTION', `--instrument takes a package name or pattern such as async-mutex or @acme/*; got "${pattern}".`);
    }
  }
  const shrinkTimeMs = options.shrinkTimeMs ?? DEFAULT_SHRINK_TIME_MS;
  if (!(shrinkTimeMs >= 0) || !Number.isFinite(shrinkTimeMs)) {
    throw new RaceHuntError('BAD_OPTION', `--shrink-time must be a duration such as 10s or 500ms; got ${String(options.shrinkTimeMs)}.`);
  }
  const corpus = options.corpus ?? true;
  const pruneCorpus = options.pruneCorpus ?? false;
  if (pruneCorpus && !corpus) {
    throw new RaceHuntError('BAD_OPTION', '--prune-corpus removes saved failures that a run replays, and --no-corpus replays none: drop one of them.');
  }
  return {
    cwd: options.cwd ?? process.cwd(),
    replayOptions: { maxSteps, timers, instrument },
    reporter: options.reporter ?? {},
    shrink: options.shrink ?? true,
    shrinkTimeMs,
    corpus,
    pruneCorpus,
    ...(options.reportDir === undefined ? {} : { reportDir: options.reportDir }),
  };
}

export function settingsOf(resolved: Resolved, keepTrace: boolean, options: ReplayOptions = resolved.replayOptions): ExecutionSettings {
  return { maxSteps: options.maxSteps, timers: options.timers, keepTrace, cwd: resolved.cwd };
}

/** A bounded whole-number option. */
export function wholeOption(flag: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RaceHuntError('BAD_OPTION', `${flag} must be a whole number from ${min} to ${max}; got ${String(value)}.`);
  }
  return n;
}
