import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochInput, INPUT_EPOCH_RUNS } from '../../src/core/run-input.js';
import { pctStrategy } from '../../src/strategies/pct.js';
import { portfolioStrategy } from '../../src/strategies/portfolio.js';
import { sitePriorityStrategy } from '../../src/strategies/site-priority.js';

describe('inputs of the PCT family: one input per epoch of runs', () => {
  it('keeps one input for each stretch of INPUT_EPOCH_RUNS runs, then draws the next', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 3 }), fc.boolean(), (seed, depth, bySites) => {
        const strategy = bySites ? sitePriorityStrategy(seed, depth) : pctStrategy(seed, depth);
        const inputs = Array.from({ length: 3 * INPUT_EPOCH_RUNS }, () => strategy.nextRun()!.input);
        for (let run = 0; run < inputs.length; run++) expect(inputs[run]).toEqual(epochInput(seed, run));
        expect(new Set(inputs.map((i) => i!.seed)).size).toBe(3);
        expect(inputs.every((i) => i!.path.length === 0)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('gives a worker that skips runs the inputs of the runs it runs (the split is by run index)', () => {
    const whole = pctStrategy(9, 2);
    const all = Array.from({ length: 100 }, () => whole.nextRun()!.input);
    const part = pctStrategy(9, 2);
    for (let run = 0; run < 100; run++) {
      if (run % 3 === 0) expect(part.nextRun()!.input).toEqual(all[run]);
      else part.split!.skip();
    }
  });

  it('in the portfolio, random runs draw from their own seed, and the systematic members keep one seed each', () => {
    const portfolio = portfolioStrategy(4);
    const plans = Array.from({ length: 200 }, () => portfolio.nextRun()!);
    const randomSeeds = plans.filter((p) => p.strategy === 'random').map((p) => p.seed);
    expect(new Set(randomSeeds).size).toBe(randomSeeds.length);
    expect(plans.filter((p) => p.strategy === 'random').every((p) => p.input === undefined)).toBe(true);
    for (const name of ['dfs(preemptions≤1)', 'delay(delays≤2)']) {
      const seeds = new Set(plans.filter((p) => p.strategy === name).map((p) => p.seed));
      expect(seeds.size, name).toBeLessThanOrEqual(1);
    }
  });
});
