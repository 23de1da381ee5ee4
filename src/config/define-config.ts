import type { StrategyName } from '../strategies/registry.js';

/** The reporters `--reporter` names. */
export type ReporterName = 'terminal' | 'json' | 'junit' | 'github';

/** A reporter by name, or with the file it writes to (`--output-file <name>=<path>`). */
export type ReporterEntry = ReporterName | readonly [ReporterName, { readonly outputFile?: string }];

/** A duration: a string such as `'500ms'`, `'10s'` or `'20m'`, or a number of milliseconds. */
export type Duration = string | number;

/**
 * What `race-hunt.config.ts` exports: where the scenarios are, and defaults for the options of
 * `race-hunt run`. A flag given on the command line wins over the config.
 */
export interface RaceHuntConfig {
  /** Globs of scenario files, relative to the config file; `race-hunt run` with no paths explores these. */
  readonly include?: readonly string[];
  /** `--runs`: executions per scenario at most. */
  readonly runs?: number;
  /** `--strategy`: how to explore. */
  readonly strategy?: StrategyName;
  /** `--depth`: pct and sites, the bug depth. */
  readonly depth?: number;
  /** `--preemptions`: dfs, the preemption bound. */
  readonly preemptions?: number;
  /** `--delays`: delay, the delay bound. */
  readonly delays?: number;
  /** `--max-steps`: steps per execution before it counts as a livelock. */
  readonly maxSteps?: number;
  /** `--timers`: `fuzz` or `strict`. */
  readonly timers?: 'fuzz' | 'strict';
  /** `--instrument`: packages under node_modules to instrument as well (`async-mutex`, `@acme/*`). */
  readonly instrument?: readonly string[];
  /** `--shrink-time`: time budget for shrinking each violation. */
  readonly shrinkTime?: Duration;
  /** `--reporter` and `--output-file`: `['terminal', ['junit', { outputFile: 'race-hunt.xml' }]]`. */
  readonly reporters?: readonly ReporterEntry[];
  /** `--workers`: worker threads to explore in (0: race-hunt's own thread, without hang protection). */
  readonly workers?: number;
  /** `--run-timeout`: wall time one execution may take. */
  readonly runTimeout?: Duration;
  /** `--time-budget`: wall time the whole run may take. */
  readonly timeBudget?: Duration;
}

/**
 * Returns its argument: it exists so that `export default defineConfig({ … })` in
 * `race-hunt.config.ts` is type-checked and completed by the editor.
 */
export function defineConfig(config: RaceHuntConfig): RaceHuntConfig {
  return config;
}
