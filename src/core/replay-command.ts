/** Options that change what an execution does, and so must travel with a schedule. */
export interface ReplayOptions {
  readonly maxSteps: number;
  readonly timers: 'fuzz' | 'strict';
  readonly instrument: readonly string[];
}

export const DEFAULT_MAX_STEPS = 10_000;

/** Quotes a word for POSIX shells when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The one-line command that replays a schedule. */
export function replayCommand(file: string, scenario: string, schedule: string, options: ReplayOptions): string {
  return command(['replay', file, '--scenario', scenario, '--schedule', schedule], options);
}

/**
 * The one-line command that explores one scenario again as a `run` did: the same seed and
 * exploration options (`explorationArgs`, e.g. `--strategy dfs`), so the same schedules.
 */
export function runCommand(file: string, scenario: string, seed: number, explorationArgs: readonly string[], options: ReplayOptions): string {
  return command(['run', file, '--scenario', scenario, '--seed', String(seed), ...explorationArgs], options);
}

function command(args: readonly string[], options: ReplayOptions): string {
  const words = ['npx', 'race-hunt', ...args];
  if (options.maxSteps !== DEFAULT_MAX_STEPS) words.push('--max-steps', String(options.maxSteps));
  if (options.timers !== 'fuzz') words.push('--timers', options.timers);
  for (const pattern of options.instrument) words.push('--instrument', pattern);
  return words.map(shellQuote).join(' ');
}

/** Above this many characters a schedule token makes a replay command no one pastes: the failure file stands in for it. */
export const LONG_TOKEN = 400;

/** The command that replays a saved failure: its file carries the scenario, schedule and options. */
export function failureReplayCommand(failureFile: string): string {
  return `npx race-hunt replay ${shellQuote(failureFile)}`;
}
