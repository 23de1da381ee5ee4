import { randomInt } from 'node:crypto';
import { RaceHuntError } from '../core/errors.js';
import type { StrategyName, StrategyParameters } from '../strategies/registry.js';
import { DEFAULT_PARAMETERS, STRATEGY_NAMES } from '../strategies/registry.js';
import type { ExplorationOptions } from './options.js';
import { DEFAULT_RUNS, DEFAULT_SYSTEMATIC_RUNS, wholeOption } from './options.js';

/** How to explore, checked and with defaults filled in: what `run()` and `explore()` share. */
export interface Exploration {
  readonly strategyName: StrategyName;
  readonly parameters: StrategyParameters;
  readonly runs: number;
  readonly seed: number;
  readonly timeBudgetMs?: number;
  /** The options that decide which schedules are explored, as command-line words (defaults left out). */
  readonly args: readonly string[];
}

export function resolveExploration(options: ExplorationOptions): Exploration {
  const strategyName = options.strategy ?? 'portfolio';
  if (!STRATEGY_NAMES.includes(strategyName)) {
    throw new RaceHuntError('BAD_OPTION', `--strategy must be one of ${STRATEGY_NAMES.join(', ')}; got "${String(strategyName)}".`);
  }
  const parameters: StrategyParameters = {
    depth: wholeOption('--depth', options.depth, DEFAULT_PARAMETERS.depth, 1, 64),
    preemptions: wholeOption('--preemptions', options.preemptions, DEFAULT_PARAMETERS.preemptions, 0, 64),
    delays: wholeOption('--delays', options.delays, DEFAULT_PARAMETERS.delays, 0, 64),
  };
  const systematic = strategyName === 'dfs' || strategyName === 'delay' || strategyName === 'dpor';
  const timeBudgetMs = options.timeBudgetMs;
  if (timeBudgetMs !== undefined && !(timeBudgetMs > 0 && Number.isFinite(timeBudgetMs))) {
    throw new RaceHuntError('BAD_OPTION', `--time-budget must be a duration such as 10m or 90s; got ${String(timeBudgetMs)}.`);
  }
  // With a time budget and no --runs, time is the limit.
  const defaultRuns = timeBudgetMs !== undefined ? Number.MAX_SAFE_INTEGER : systematic ? DEFAULT_SYSTEMATIC_RUNS : DEFAULT_RUNS;
  const runs = wholeOption('--runs', options.runs, defaultRuns, 1, Number.MAX_SAFE_INTEGER);
  const seed = wholeOption('--seed', options.seed, randomInt(0, 2 ** 32), 0, 2 ** 32 - 1);
  return {
    strategyName,
    parameters,
    runs,
    seed,
    ...(timeBudgetMs === undefined ? {} : { timeBudgetMs }),
    args: argsOf(options, strategyName, parameters),
  };
}

function argsOf(options: ExplorationOptions, strategy: StrategyName, parameters: StrategyParameters): string[] {
  const words: string[] = [];
  if (strategy !== 'portfolio') words.push('--strategy', strategy);
  if (options.runs !== undefined) words.push('--runs', String(options.runs));
  for (const key of ['depth', 'preemptions', 'delays'] as const) {
    if (parameters[key] !== DEFAULT_PARAMETERS[key]) words.push(`--${key}`, String(parameters[key]));
  }
  if (options.corpus === false) words.push('--no-corpus');
  if (options.shrink === false) words.push('--no-shrink');
  return words;
}
