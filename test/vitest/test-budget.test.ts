import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetFor, EXPLORE_RUNS, REGRESSION_RUNS, REGRESSION_SHRINK_TIME_MS, seedOf, testMode } from '../../src/vitest/test-budget.js';

describe('testMode', () => {
  it('takes RACE_HUNT_MODE over the plugin option, and regression when neither says', () => {
    expect(testMode({}, undefined)).toBe('regression');
    expect(testMode({}, 'explore')).toBe('explore');
    expect(testMode({ RACE_HUNT_MODE: 'explore' }, 'regression')).toBe('explore');
    expect(testMode({ RACE_HUNT_MODE: 'regression' }, 'explore')).toBe('regression');
    expect(testMode({ RACE_HUNT_MODE: '' }, undefined)).toBe('regression');
    expect(() => testMode({ RACE_HUNT_MODE: 'fuzz' }, undefined)).toThrow('RACE_HUNT_MODE must be "regression" or "explore"; got "fuzz".');
  });
});

describe('budgetFor', () => {
  it('regression: a short budget from a seed the scenario name fixes, whatever the environment', () => {
    const env = { RACE_HUNT_RUNS: '99999', RACE_HUNT_SEED: '3' };
    expect(budgetFor('regression', 'lost update', {}, env)).toEqual({ runs: REGRESSION_RUNS, seed: seedOf('lost update'), shrinkTimeMs: REGRESSION_SHRINK_TIME_MS });
    expect(budgetFor('regression', 'lost update', { runs: 50, seed: 9, shrinkTimeMs: 100, exploreRuns: 7 }, env)).toEqual({ runs: 50, seed: 9, shrinkTimeMs: 100 });
  });

  it('explore: exploreRuns, overridden by RACE_HUNT_RUNS; or RACE_HUNT_TIME_BUDGET; and a fresh seed unless one is given', () => {
    expect(budgetFor('explore', 'x', {}, {})).toEqual({ runs: EXPLORE_RUNS });
    expect(budgetFor('explore', 'x', { exploreRuns: 500, runs: 20 }, {})).toEqual({ runs: 500 });
    expect(budgetFor('explore', 'x', { exploreRuns: 500 }, { RACE_HUNT_RUNS: '800', RACE_HUNT_SEED: '12' })).toEqual({ runs: 800, seed: 12 });
    expect(budgetFor('explore', 'x', {}, { RACE_HUNT_TIME_BUDGET: '2m' })).toEqual({ timeBudgetMs: 120_000 });
    expect(budgetFor('explore', 'x', { seed: 4 }, { RACE_HUNT_TIME_BUDGET: '30s', RACE_HUNT_RUNS: '10' })).toEqual({ timeBudgetMs: 30_000, runs: 10, seed: 4 });
  });

  it('names a bad environment variable and its value', () => {
    expect(() => budgetFor('explore', 'x', {}, { RACE_HUNT_TIME_BUDGET: 'soon' })).toThrow('RACE_HUNT_TIME_BUDGET must be a duration such as 10m or 90s; got "soon".');
    expect(() => budgetFor('explore', 'x', {}, { RACE_HUNT_RUNS: '1e3x' })).toThrow('RACE_HUNT_RUNS must be a whole number; got "1e3x".');
  });
});

describe('seedOf', () => {
  it('is a 32-bit seed that depends on the name alone', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const seed = seedOf(name);
        expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
        expect(seedOf(name)).toBe(seed);
      }),
    );
    expect(seedOf('a')).not.toBe(seedOf('b'));
  });
});
