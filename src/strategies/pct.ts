import type { Rng } from '../core/rng.js';
import { createRng, deriveSeed } from '../core/rng.js';
import type { ChoiceOption } from '../core/step.js';
import { entityOf } from './entity.js';
import type { Chooser, RunPlan, Strategy } from './strategy.js';

/** How many decisions a run is assumed to have before any run has been seen. */
const INITIAL_ESTIMATE = 32;

/**
 * Draws a change point in [0, k). Half are uniform, as in the paper; half log-uniform, which
 * favours early decisions: bugs where one task must be preempted early while many others
 * stay idle (twostage with ~100 writers) need a change point within the first few
 * decisions, which a uniform draw over a long run almost never gives. Costs at most a
 * factor of two on the paper's bound.
 */
function drawChangePoint(rng: Rng, k: number): number {
  if (rng.nextU32() & 1) return rng.nextInt(k);
  return Math.min(k - 1, Math.floor(Math.exp(rng.nextFloat() * Math.log(k + 1))) - 1);
}

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
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError('PCT depth must be a whole number ≥ 1');
  let run = 0;
  let estimate = INITIAL_ESTIMATE;
  let lastChooser: { decisions: number } | undefined;
  return {
    name: `pct(d=${depth})`,
    nextRun(): RunPlan {
      if (lastChooser !== undefined) estimate = Math.max(estimate, lastChooser.decisions);
      const runSeed = deriveSeed(seed, run++);
      const rng = createRng(deriveSeed(runSeed, 2));
      const changePoints = new Map<number, number>();
      for (let i = 1; i < depth; i++) {
        let point = drawChangePoint(rng, estimate);
        while (changePoints.has(point)) point = (point + 1) % Math.max(estimate, depth);
        changePoints.set(point, i);
      }
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
      lastChooser = chooser;
      return { seed: runSeed, chooser, strategy: `pct(d=${depth})` };
    },
  };
}
