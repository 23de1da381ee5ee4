import { deriveSeed } from '../core/rng.js';
import type { BoundedStrategy, SearchVerdict } from './bounded-search.js';
import { delayStrategy } from './delay.js';
import { dfsStrategy } from './dfs.js';
import { pctStrategy } from './pct.js';
import { randomStrategy } from './random.js';
import type { RunPlan, Strategy } from './strategy.js';

/**
 * Interleaves several strategies over one run budget, one execution each in turn, as
 * Coyote's and shuttle's portfolios do: random for shallow races, PCT with depth 1–3 for
 * deep ones, delay bounding and a small preemption-bounded search for the systematic
 * corner. A member whose space is exhausted drops out.
 */
export function portfolioStrategy(seed: number): Strategy & { verdicts(): SearchVerdict[] } {
  const bounded: BoundedStrategy[] = [delayStrategy(deriveSeed(seed, 4), 2), dfsStrategy(deriveSeed(seed, 5), 1)];
  const members: Strategy[] = [
    randomStrategy(deriveSeed(seed, 0)),
    pctStrategy(deriveSeed(seed, 1), 1),
    pctStrategy(deriveSeed(seed, 2), 2),
    pctStrategy(deriveSeed(seed, 3), 3),
    ...bounded,
  ];
  const active = [...members];
  let turn = 0;
  return {
    name: 'portfolio',
    nextRun(): RunPlan | undefined {
      while (active.length > 0) {
        const index = turn % active.length;
        const plan = active[index]!.nextRun();
        if (plan !== undefined) {
          turn = index + 1;
          return plan;
        }
        active.splice(index, 1);
      }
      return undefined;
    },
    verdicts: () => bounded.map((b) => b.verdict()),
  };
}
