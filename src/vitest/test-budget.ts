import { parseDuration } from '../core/duration.js';
import { RaceHuntError } from '../core/errors.js';
import type { ExploreOptions } from '../api/explore.js';
import { fnv1a } from '../core/fnv1a.js';

/** What a scenario test takes: `explore()`'s options, and the budget of the explore mode. */
export interface ScenarioTestOptions extends Omit<ExploreOptions, 'replayCommandOf' | 'signal'> {
  /** Runs in the explore mode (RACE_HUNT_MODE=explore). Default RACE_HUNT_RUNS, else 10,000. */
  readonly exploreRuns?: number;
}

export type TestMode = 'regression' | 'explore';

/** Runs of a regression-mode test with no `runs` of its own: a short budget, so the suite stays fast. */
export const REGRESSION_RUNS = 200;
/** A regression-mode test's shrinking: short, as vitest's default test timeout is 5 s. */
export const REGRESSION_SHRINK_TIME_MS = 2_000;
export const EXPLORE_RUNS = 10_000;

/** The mode from RACE_HUNT_MODE, else the plugin's. */
export function testMode(env: NodeJS.ProcessEnv, configured: TestMode | undefined): TestMode {
  const asked = env.RACE_HUNT_MODE;
  if (asked === undefined || asked === '') return configured ?? 'regression';
  if (asked !== 'regression' && asked !== 'explore') {
    throw new RaceHuntError('BAD_OPTION', `RACE_HUNT_MODE must be "regression" or "explore"; got "${asked}". Unset it for the regression mode of a plain \`vitest run\`.`);
  }
  return asked;
}

/**
 * A test's exploration in its mode. `regression`: its saved failures replayed, then `runs`
 * (default 200) runs from a seed fixed by the scenario's name, so every `vitest run` explores
 * the same schedules. `explore`: the saved failures, then `exploreRuns` (or RACE_HUNT_RUNS, or
 * 10,000) runs, or RACE_HUNT_TIME_BUDGET, from RACE_HUNT_SEED or a fresh seed.
 */
export function budgetFor(mode: TestMode, scenarioName: string, options: ScenarioTestOptions, env: NodeJS.ProcessEnv): ExploreOptions {
  const { exploreRuns, ...rest } = options;
  if (mode === 'regression') {
    return { shrinkTimeMs: REGRESSION_SHRINK_TIME_MS, ...rest, runs: options.runs ?? REGRESSION_RUNS, seed: options.seed ?? seedOf(scenarioName) };
  }
  const budget = env.RACE_HUNT_TIME_BUDGET === undefined || env.RACE_HUNT_TIME_BUDGET === '' ? undefined : parseDuration(env.RACE_HUNT_TIME_BUDGET);
  if (budget === undefined && env.RACE_HUNT_TIME_BUDGET !== undefined && env.RACE_HUNT_TIME_BUDGET !== '') {
    throw new RaceHuntError('BAD_OPTION', `RACE_HUNT_TIME_BUDGET must be a duration such as 10m or 90s; got "${env.RACE_HUNT_TIME_BUDGET}".`);
  }
  const runs = numberFrom(env, 'RACE_HUNT_RUNS') ?? exploreRuns;
  const seed = numberFrom(env, 'RACE_HUNT_SEED') ?? options.seed;
  return {
    ...rest,
    ...(budget === undefined ? { runs: runs ?? EXPLORE_RUNS } : { timeBudgetMs: budget, ...(runs === undefined ? {} : { runs }) }),
    ...(seed === undefined ? {} : { seed }),
  };
}

function numberFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new RaceHuntError('BAD_OPTION', `${name} must be a whole number; got "${text}".`);
  return n;
}

/** A seed from a name (FNV-1a): the same scenario explores the same schedules in every regression run. */
export function seedOf(name: string): number {
  return fnv1a(name);
}
