import { createRng, deriveSeed } from '../core/rng.js';
import type { ChoiceOption } from '../core/step.js';
import { checkDepth, drawChangePoints, RunLength } from './change-points.js';
import { entityOf } from './entity.js';
import type { Chooser, RunPlan, Strategy } from './strategy.js';

/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
 * "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010).
 *
 * Every task (and the timers, as one entity) gets a random distinct priority of at least
 * `depth`; `depth - 1` change points are drawn over the estimated number of decisions `k`.
 * At each decision the ready option of the highest-priority entity runs; at the i-th change
 * point, the entity about to run drops to priority i, below every initial priority. A bug of
 * depth d among n tasks is found with probability at least 1/(n·k^(d−1)) per run.
 * The estimate of k is the longest run seen so far.
 */
export function pctStrategy(seed: number, depth: number): Strategy {
  checkDepth(depth);
  let run = 0;
  const runLength = new RunLength();
  return {
    name: `pct(d=${depth})`,
    nextRun(): RunPlan {
      const estimate = runLength.current();
      const runSeed = deriveSeed(seed, run++);
      const rng = createRng(deriveSeed(runSeed, 2));
      const changePoints = drawChangePoints(rng, estimate, depth);
      const priorities = new Map<number, number>();
      const priorityOf = (entity: number): number => {
        let p = priorities.get(entity);
        if (p === undefined) {
          p = depth + rng.nextFloat();
          priorities.set(entity, p);
        }
        return p;
      };
      const best = (options: readonly ChoiceOption[]): number => {
        let bestIndex = 0;
        let bestPriority = -Infinity;
        for (let i = 0; i < options.length; i++) {
          const p = priorityOf(entityOf(options[i]!));
          if (p > bestPriority) {
            bestPriority = p;
            bestIndex = i;
          }
        }
        return bestIndex;
      };
      const chooser: Chooser & { decisions: number } = {
        decisions: 0,
        choose(options, decision) {
          chooser.decisions = decision + 1;
          const lowered = changePoints.get(decision);
          if (lowered !== undefined) priorities.set(entityOf(options[best(options)]!), lowered);
          return best(options);
        },
      };
      runLength.track(chooser);
      return { seed: runSeed, chooser, strategy: `pct(d=${depth})` };
    },
  };
}
