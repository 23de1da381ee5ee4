import type { ChoiceOption } from '../core/step.js';
import { priorityStrategy } from './change-points.js';
import { entityOf } from '../core/entity.js';
import type { Strategy } from '../core/strategy.js';

/**
 * PCT over await sites rather than tasks. Every site (an await location with its caller's,
 * shared by all tasks at that point of the code; see `ChoiceOption.site`) gets a random
 * priority of at least `depth`, and every task another one; at each decision the option at
 * the highest-priority site runs, ties going to the higher-priority task. At the i-th of
 * `depth - 1` change points (placed as PCT places them) the site about to run drops to
 * priority i.
 *
 * Why: in the races that task-PCT finds worst, many tasks run the same code and one task
 * must slip in between two steps of one of them while none of the others gets past the
 * same point (a reader between a writer's two stages while 99 writers are about; a checker
 * between a setter's two writes). Task priorities need the right task ranked just below
 * the right other one among n; site priorities need only "stage two ranks below the
 * reader's steps" among a handful of sites, whatever the number of tasks.
 */
export function sitePriorityStrategy(seed: number, depth: number): Strategy {
  return priorityStrategy(`sites(d=${depth})`, seed, depth, 3, (priorities) => {
    const sites = priorities();
    const tasks = priorities();
    const best = (options: readonly ChoiceOption[]): number => {
      let bestIndex = 0;
      let bestSite = -Infinity;
      let bestTask = -Infinity;
      for (let i = 0; i < options.length; i++) {
        const option = options[i]!;
        const site = sites.of(option.site);
        if (site < bestSite) continue;
        const task = tasks.of(entityOf(option));
        if (site > bestSite || task > bestTask) {
          bestSite = site;
          bestTask = task;
          bestIndex = i;
        }
      }
      return bestIndex;
    };
    return { best, lower: (option, priority) => sites.lower(option.site, priority) };
  });
}
