/**
 * `race-hunt/vitest`: the Vite plugin that instruments test files and the user's modules, and
 * the matchers' types. In vitest.config.ts: `plugins: [raceHunt()]`.
 */
import type { ScenarioTestOptions } from './test-budget.js';

export { raceHunt } from './plugin.js';
export type { RaceHuntPlugin, RaceHuntPluginOptions } from './plugin.js';
export type { ScenarioTestOptions } from './test-budget.js';
export { REGRESSION_RUNS, EXPLORE_RUNS } from './test-budget.js';

interface RaceHuntMatchers<R = unknown> {
  /** Explores the scenario; fails with its trace and replay command when a schedule breaks it. */
  toHaveNoRaces(options?: ScenarioTestOptions): Promise<R>;
  /** Explores the scenario; passes when a schedule breaks it (a regression test of a known race). */
  toFindRace(options?: ScenarioTestOptions): Promise<R>;
}

declare module 'vitest' {
  // vitest declares `Assertion<T = any>`; a merged declaration must repeat its parameters.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends RaceHuntMatchers<void> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends RaceHuntMatchers {}
}
