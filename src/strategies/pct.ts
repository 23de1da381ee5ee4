import type { ChoiceOption } from '../core/step.js';
import { priorityStrategy } from './change-points.js';
import { entityOf } from '../core/entity.js';
import type { Strategy } from '../core/strategy.js';

/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
 * "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010).
 *
 * Every task (and the timers, as one entity) gets a random distinct priority of at least
 * `depth`; `depth - 1` change points are drawn over the estimated number of decisions `k`.
 * At each decision the ready option of the highest-priority entity runs; at the i-th change
 * point, the entity about to run drops to priority i, below every initial priority. A bug of
 * depth d among n tasks is found with probability at least 1/(n·k^(d−1)) per run.
 * The estimate of k is the longest of the first runs (the calibration, see `RunSplit`).
 */
export function pctStrategy(seed: number, depth: number): Strategy {
  return priorityStrategy(`pct(d=${depth})`, seed, depth, 2, (priorities) => {
    const entities = priorities();
    const best = (options: readonly ChoiceOption[]): number => {
      let bestIndex = 0;
      let bestPriority = -Infinity;
      for (let i = 0; i < options.length; i++) {
        const p = entities.of(entityOf(options[i]!));
        if (p > bestPriority) {
          bestPriority = p;
          bestIndex = i;
        }
      }
      return bestIndex;
    };
    return { best, lower: (option, priority) => entities.lower(entityOf(option), priority) };
  });
}
