import { deriveSeed } from '../core/rng.js';
import type { BoundedStrategy, SearchVerdict } from './bounded-search.js';
import { delayStrategy } from './delay.js';
import { dfsStrategy } from './dfs.js';
import { pctStrategy } from './pct.js';
import { randomStrategy } from './random.js';
import { sitePriorityStrategy } from './site-priority.js';
import type { RunPlan, Strategy } from './strategy.js';

/**
 * Interleaves several strategies over one run budget, one execution each in turn, as
 * Coyote's and shuttle's portfolios do: random for shallow races, PCT over await sites and
 * over tasks with depth 1–3 for deep ones, delay bounding and a small preemption-bounded
 * search for the systematic corner. Site priorities get the most turns: in the bug-finding
 * benchmark (bench/BUGS.md) they found every bug in every seed within a few dozen runs,
 * including those (twostage with 99 writers) no other member found at all. A member whose
 * space is exhausted drops out.
 */
export function portfolioStrategy(seed: number): Strategy & { verdicts(): SearchVerdict[] } {
  const random = randomStrategy(deriveSeed(seed, 0));
  const pct1 = pctStrategy(deriveSeed(seed, 1), 1);
  const pct2 = pctStrategy(deriveSeed(seed, 2), 2);
  const pct3 = pctStrategy(deriveSeed(seed, 3), 3);
  const delay = delayStrategy(deriveSeed(seed, 4), 2);
  const dfs = dfsStrategy(deriveSeed(seed, 5), 1);
  const sites1 = sitePriorityStrategy(deriveSeed(seed, 6), 1);
  const sites2 = sitePriorityStrategy(deriveSeed(seed, 7), 2);
  const sites3 = sitePriorityStrategy(deriveSeed(seed, 8), 3);
  const bounded: BoundedStrategy[] = [delay, dfs];
  // One cycle of turns; every member appears, the deep-bug finders most often.
  const cycle: Strategy[] = [random, sites1, pct3, sites3, delay, sites2, pct2, sites1, random, sites3, pct1, sites2, dfs, pct3];
  const exhausted = new Set<Strategy>();
  let turn = 0;
  return {
    name: 'portfolio',
    nextRun(): RunPlan | undefined {
      for (let tried = 0; tried < cycle.length; tried++) {
        const member = cycle[turn % cycle.length]!;
        turn++;
        if (exhausted.has(member)) continue;
        const plan = member.nextRun();
        if (plan !== undefined) return plan;
        exhausted.add(member);
      }
      return undefined;
    },
    verdicts: () => bounded.map((b) => b.verdict()),
  };
}
