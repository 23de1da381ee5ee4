import { createRng, deriveSeed } from '../core/rng.js';
import type { ChoiceOption } from '../core/step.js';
import { checkDepth, drawChangePoints, RunLength } from './change-points.js';
import { entityOf } from './entity.js';
import type { Chooser, RunPlan, Strategy } from './strategy.js';

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
  checkDepth(depth);
  let run = 0;
  const runLength = new RunLength();
  const name = `sites(d=${depth})`;
  return {
    name,
    nextRun(): RunPlan {
      const estimate = runLength.current();
      const runSeed = deriveSeed(seed, run++);
      const rng = createRng(deriveSeed(runSeed, 3));
      const changePoints = drawChangePoints(rng, estimate, depth);
      const sitePriorities = new Map<number, number>();
      const taskPriorities = new Map<number, number>();
      const priorityIn = (priorities: Map<number, number>, key: number): number => {
        let p = priorities.get(key);
        if (p === undefined) {
          p = depth + rng.nextFloat();
          priorities.set(key, p);
        }
        return p;
      };
      const best = (options: readonly ChoiceOption[]): number => {
        let bestIndex = 0;
        let bestSite = -Infinity;
        let bestTask = -Infinity;
        for (let i = 0; i < options.length; i++) {
          const option = options[i]!;
          const site = priorityIn(sitePriorities, option.site);
          if (site < bestSite) continue;
          const task = priorityIn(taskPriorities, entityOf(option));
          if (site > bestSite || task > bestTask) {
            bestSite = site;
            bestTask = task;
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
          if (lowered !== undefined) sitePriorities.set(options[best(options)]!.site, lowered);
          return best(options);
        },
      };
      runLength.track(chooser);
      return { seed: runSeed, chooser, strategy: name };
    },
  };
}
