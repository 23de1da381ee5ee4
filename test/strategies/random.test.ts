import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChoiceOption } from '../../src/core/step.js';
import { randomStrategy } from '../../src/strategies/random.js';
import { simulate } from './simulate.js';

const seedArb = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const options = (n: number): ChoiceOption[] => Array.from({ length: n }, (_, task) => ({ kind: 'resume' as const, task, seq: task, site: 0 }));

/** The first `runs` plans of a strategy, each asked the same sequence of decisions. */
function choices(seed: number, runs: number, sizes: readonly number[]): { seed: number; picks: number[] }[] {
  const strategy = randomStrategy(seed);
  return Array.from({ length: runs }, () => {
    const plan = strategy.nextRun()!;
    return { seed: plan.seed, picks: sizes.map((n, d) => plan.chooser.choose(options(n), d, undefined)) };
  });
}

describe('randomStrategy', () => {
  it('makes the same plans (seeds and choices) from the same seed', () => {
    fc.assert(
      fc.property(seedArb, fc.array(fc.integer({ min: 2, max: 9 }), { minLength: 1, maxLength: 40 }), (seed, sizes) => {
        expect(choices(seed, 5, sizes)).toEqual(choices(seed, 5, sizes));
      }),
    );
  });

  it('chooses within range and names itself', () => {
    fc.assert(
      fc.property(seedArb, fc.array(fc.integer({ min: 2, max: 9 }), { minLength: 1, maxLength: 40 }), (seed, sizes) => {
        const strategy = randomStrategy(seed);
        expect(strategy.name).toBe('random');
        const plan = strategy.nextRun()!;
        expect(plan.strategy).toBe('random');
        sizes.forEach((n, d) => {
          const pick = plan.chooser.choose(options(n), d, undefined);
          expect(Number.isInteger(pick) && pick >= 0 && pick < n).toBe(true);
        });
      }),
    );
  });

  it('never runs out, and gives every run its own seed', () => {
    const strategy = randomStrategy(9);
    const seeds = Array.from({ length: 1000 }, () => strategy.nextRun()!.seed);
    expect(new Set(seeds).size).toBe(1000);
  });

  it('different exploration seeds explore differently', () => {
    expect(choices(1, 3, [3, 3, 3, 3, 3, 3, 3, 3])).not.toEqual(choices(2, 3, [3, 3, 3, 3, 3, 3, 3, 3]));
  });

  it('reaches every interleaving of a small program, roughly uniformly per decision', () => {
    const strategy = randomStrategy(123);
    const seen = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const key = simulate(strategy.nextRun()!, [2, 2]).order.join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6); // C(4, 2)
    // Uniform per decision: 0011 needs picks 0 then 0 (p = 1/4); 0101 needs 0,1,0 (p = 1/8).
    expect(seen.get('0011')!).toBeGreaterThan(400);
    expect(seen.get('0101')!).toBeGreaterThan(170);
    expect(seen.get('0101')!).toBeLessThan(330);
  });
});
