import type { SearchPart, SearchVerdict } from './bounded-search.js';
import { delayStrategy } from './delay.js';
import { dfsStrategy } from './dfs.js';
import { dporStrategy } from './dpor.js';
import { pctStrategy } from './pct.js';
import { portfolioStrategy } from './portfolio.js';
import { randomStrategy } from './random.js';
import { sitePriorityStrategy } from './site-priority.js';
import type { Strategy } from '../core/strategy.js';

/** The strategies a user can name with `--strategy`. */
export const STRATEGY_NAMES = ['portfolio', 'random', 'pct', 'sites', 'dfs', 'delay', 'dpor'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Parameters of the strategies that take one. */
export interface StrategyParameters {
  /** PCT depth d, for pct and sites (default 3). */
  readonly depth: number;
  /** dfs: the preemption bound (default 2). */
  readonly preemptions: number;
  /** delay: the delay bound (default 2). */
  readonly delays: number;
}

/**
 * Strategies whose runs can be shared between workers and shards: each run is planned from the
 * seed and its index (`RunSplit`). The systematic ones (dfs, delay, dpor) search one tree in
 * order, so one worker runs them whole.
 */
export const SPLITS_RUNS: ReadonlySet<StrategyName> = new Set<StrategyName>(['random', 'pct', 'sites', 'portfolio']);

/**
 * Systematic strategies whose tree of schedules splits into disjoint parts (`SearchPart`), one
 * per CI shard. Not dpor: the schedules it adds depend on races found anywhere in the tree, so a
 * part cannot know which of its points another part's runs would have added.
 */
export const SPLITS_TREE: ReadonlySet<StrategyName> = new Set<StrategyName>(['dfs', 'delay']);

export const DEFAULT_PARAMETERS: StrategyParameters = { depth: 3, preemptions: 2, delays: 2 };

/** A strategy plus, for the systematic ones, what it covered. */
export interface CreatedStrategy {
  readonly strategy: Strategy;
  /** Systematic members' coverage: read after exploring. */
  readonly verdicts: () => SearchVerdict[];
}

/** Builds the named strategy from a seed. */
export function createStrategy(name: StrategyName, seed: number, parameters: StrategyParameters = DEFAULT_PARAMETERS, part?: SearchPart): CreatedStrategy {
  switch (name) {
    case 'random':
      return { strategy: randomStrategy(seed), verdicts: () => [] };
    case 'pct':
      return { strategy: pctStrategy(seed, parameters.depth), verdicts: () => [] };
    case 'sites':
      return { strategy: sitePriorityStrategy(seed, parameters.depth), verdicts: () => [] };
    case 'dfs': {
      const dfs = dfsStrategy(seed, parameters.preemptions, part);
      return { strategy: dfs, verdicts: () => [dfs.verdict()] };
    }
    case 'delay': {
      const delay = delayStrategy(seed, parameters.delays, part);
      return { strategy: delay, verdicts: () => [delay.verdict()] };
    }
    case 'dpor': {
      const dpor = dporStrategy(seed);
      return { strategy: dpor, verdicts: () => [dpor.verdict()] };
    }
    case 'portfolio': {
      const portfolio = portfolioStrategy(seed);
      return { strategy: portfolio, verdicts: () => portfolio.verdicts() };
    }
  }
}
