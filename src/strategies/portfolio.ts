import { deriveSeed } from '../core/rng.js';
import type { BoundedStrategy, SearchVerdict } from './bounded-search.js';
import { delayStrategy } from './delay.js';
import { dfsStrategy } from './dfs.js';
import { pctStrategy } from './pct.js';
import { randomStrategy } from './random.js';
import { sitePriorityStrategy } from './site-priority.js';
import type { RunPlan, Strategy } from '../core/strategy.js';

/**
 * Interleaves several strategies over one run budget, one execution each in turn, as
 * Coyote's and shuttle's portfolios do: random for shallow races, PCT over await sites and
 * over tasks with depth 1–3 for deep ones, delay bounding and a small preemption-bounded
 * search for the systematic corner. Site priorities get the most turns: in the bug-finding
 * benchmark (bench/BUGS.md) they found every bug in every seed within a few dozen runs,
 * including those (twostage with 99 writers) no other member found at all. A systematic
 * member whose space is covered hands its turns to a random one.
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
  // Takes the turns of a systematic member once its space is covered.
  const fallback = randomStrategy(deriveSeed(seed, 9));
  const bounded: BoundedStrategy[] = [delay, dfs];
  // One cycle of turns; every member appears, the deep-bug finders most often.
  const cycle: Strategy[] = [random, sites1, pct3, sites3, delay, sites2, pct2, sites1, random, sites3, pct1, sites2, dfs, pct3];
  const shared = [...new Set(cycle)].filter((m) => m.split !== undefined);
  const exhausted = new Set<Strategy>();
  let turn = 0;
  const member = (): Strategy => cycle[turn % cycle.length]!;
  return {
    name: 'portfolio',
    nextRun(): RunPlan {
      const next = member();
      turn++;
      if (!exhausted.has(next)) {
        const plan = next.nextRun();
        if (plan !== undefined) return plan;
        exhausted.add(next);
      }
      // Only systematic members run out; their turns stay theirs, so that which member
      // has a turn depends on the run's index alone.
      return fallback.nextRun()!;
    },
    split: {
      // The systematic members' next plans depend on their earlier runs.
      nextIsSerial: () => member().split === undefined,
      skip: () => {
        member().split?.skip();
        turn++;
      },
      observe: (decisions) => {
        for (const m of shared) m.split!.observe(decisions);
      },
      freeze: () => {
        for (const m of shared) m.split!.freeze();
      },
    },
    verdicts: () => bounded.map((b) => b.verdict()),
  };
}
