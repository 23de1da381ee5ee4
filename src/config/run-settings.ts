import type { StrategyName } from '../strategies/registry.js';

/**
 * The options of `race-hunt run` a config file may set, keyed and typed as the command line
 * parses them (durations in milliseconds; reporters as `--reporter` names and `--output-file`
 * `name=path` words).
 */
export interface RunSettings {
  readonly runs: number;
  readonly strategy: StrategyName;
  readonly depth: number;
  readonly preemptions: number;
  readonly delays: number;
  readonly maxSteps: number;
  readonly timers: 'fuzz' | 'strict';
  readonly instrument: readonly string[];
  readonly shrinkTime: number;
  readonly reporter: readonly string[];
  readonly outputFile: readonly string[];
  readonly workers: number;
  readonly runTimeout: number;
  readonly timeBudget: number;
}

/** Every key of {@link RunSettings}: the flags a config provides defaults for. */
export const SETTING_KEYS = [
  'runs',
  'strategy',
  'depth',
  'preemptions',
  'delays',
  'maxSteps',
  'timers',
  'instrument',
  'shrinkTime',
  'reporter',
  'outputFile',
  'workers',
  'runTimeout',
  'timeBudget',
] as const satisfies readonly (keyof RunSettings)[];

/** The reporter an `--output-file` word (`junit=race-hunt.xml`) is for. */
export function outputFileReporter(word: string): string {
  const equals = word.indexOf('=');
  return equals < 0 ? word : word.slice(0, equals);
}

/**
 * The options a run uses: for each one, the command line's if the flag was given, else the
 * config's, else the default. Output files follow the reporters: when the reporters come from
 * the command line, the config's output files still apply to those of them it names a file
 * for (so `--reporter junit` writes where the config says), and `--output-file` given on the
 * command line replaces the config's.
 */
export function mergeSettings(commandLine: Partial<RunSettings>, config: Partial<RunSettings>, defaults: Partial<RunSettings>): Partial<RunSettings> {
  const merged: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = commandLine[key] ?? config[key] ?? defaults[key];
    if (value !== undefined) merged[key] = value;
  }
  if (commandLine.outputFile === undefined && config.outputFile !== undefined) {
    const reporters = new Set(commandLine.reporter ?? config.reporter ?? defaults.reporter ?? []);
    const kept = config.outputFile.filter((word) => reporters.has(outputFileReporter(word)));
    const fallback = defaults.outputFile;
    if (kept.length > 0) merged['outputFile'] = kept;
    else if (fallback !== undefined) merged['outputFile'] = fallback;
    else delete merged['outputFile'];
  }
  return merged as Partial<RunSettings>;
}
