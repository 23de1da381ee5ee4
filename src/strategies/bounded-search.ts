import type { ChoiceOption } from '../core/step.js';
import type { Chooser, RunPlan, Strategy } from '../core/strategy.js';

/** What choosing `options[index]` costs against the bound (a preemption, a delay, …). */
export type CostFunction = (options: readonly ChoiceOption[], index: number, previous: ChoiceOption | undefined) => number;

/**
 * What a bounded search covered. `exhaustive` only when every schedule within `bound` was run.
 * An unbounded search (dpor) has no bound: `bound` is 0, `completedBound` is 0 once it is
 * exhaustive (else -1), and `completedSchedules` counts the runs made so far.
 */
export interface SearchVerdict {
  /** The strategy's name, e.g. `dfs(preemptions≤2)`. */
  readonly strategy: string;
  /** What the bound counts: "preemptions" or "delays". */
  readonly unit: string;
  /** The bound asked for. */
  readonly bound: number;
  readonly exhaustive: boolean;
  /** The largest bound whose every schedule was run (-1: none yet), and how many schedules that is. */
  readonly completedBound: number;
  readonly completedSchedules: number;
  /** Set by a search without a bound, which covers every schedule up to reordering independent steps. */
  readonly unbounded?: true;
  /** Set when the search covered one part of the tree (`SearchPart`): the claims above are for that part. */
  readonly part?: SearchPart;
  /** The seed every run of the search had: a scenario's input is drawn from it, so the claims are for that input. */
  readonly seed?: number;
  /** That input, as fast-check prints it (set by the runner, for a scenario with an input). */
  readonly input?: string;
}

/**
 * One of `count` disjoint parts of the tree of schedules, for CI jobs (shards) that split one
 * search. A schedule's part is fixed by its first `SPLIT_DEPTH` decisions: the sum of the
 * positions it took there among the alternatives (cheapest first), modulo `count`. That depends
 * on the path alone, not on the bound, so every schedule with that many decisions is in exactly
 * one part at every bound, and a part that met no schedule beyond the bound has run all of its
 * schedules there are. Schedules with fewer decisions are in every part. The parts together
 * cover what the whole search covers; each claims only its own.
 */
export interface SearchPart {
  /** This part, from 0. */
  readonly index: number;
  readonly count: number;
}

/** A strategy that can say what it covered. */
export interface BoundedStrategy extends Strategy {
  verdict(): SearchVerdict;
}

/** One decision of the current path through the tree of schedules. */
interface Frame {
  readonly of: number;
  /** Alternatives in the order they are explored: cheapest first, then by index. */
  readonly order: readonly number[];
  readonly costs: readonly number[];
  /** Cost of the path before this decision. */
  readonly costBefore: number;
  /** Position in `order` of the alternative the path takes now. */
  at: number;
  /** The sum of the positions (in `order`) taken at the decisions above this one on the path. */
  readonly positionsBefore: number;
}

/**
 * The decision at which a path enters one part (see `SearchPart`): its part is the sum of the
 * positions taken at its first `SPLIT_DEPTH` decisions, modulo the parts. Deeper splits balance
 * the parts better (the cheapest alternative's subtree is the largest); each costs a run or two
 * that counts for no part (measured on three tasks of three awaits, dfs ≤ 2 preemptions, two parts:
 * depth 1 split 268/134 schedules, depth 4 214/188 in 495 runs against 468 unsplit).
 */
export const SPLIT_DEPTH = 4;

/**
 * Systematic search over the tree of schedules with iterative bounding, as in CHESS
 * (Musuvathi, Qadeer, "Iterative context bounding for systematic testing of multithreaded
 * programs", PLDI 2007): all schedules of cost 0, then all of cost ≤ 1, … up to `maxBound`.
 * Stateless: each schedule is one execution that replays a prefix of decisions and then
 * takes the cheapest option at every new decision. Each iteration re-runs the cheaper
 * schedules of the one before (simple, and small next to the new ones); the verdict counts
 * the schedules of the last iteration, i.e. every schedule within the bound. An iteration
 * that turned no schedule away for its cost ran every schedule there is: the search ends
 * there, verified for `maxBound` too.
 *
 * If an execution does not follow a replayed prefix (the scenario is not deterministic),
 * the search carries on from there but will never call itself exhaustive.
 */
export function boundedSearch(name: string, unit: string, seed: number, maxBound: number, cost: CostFunction, part?: SearchPart): BoundedStrategy {
  if (!Number.isInteger(maxBound) || maxBound < 0) throw new RangeError(`the ${unit} bound must be a whole number ≥ 0`);
  if (part !== undefined && !(Number.isInteger(part.count) && part.count >= 1 && Number.isInteger(part.index) && part.index >= 0 && part.index < part.count)) {
    throw new RangeError(`a search part is a whole number from 0 to count − 1; got ${part.index} of ${part.count}`);
  }
  const parts = part?.count ?? 1;
  let bound = 0;
  let stack: Frame[] = [];
  let started = false;
  let done = false;
  let nondeterministic = false;
  let schedulesThisBound = 0;
  let completedBound = -1;
  let completedSchedules = 0;
  /** Whether the bound turned away any schedule of this iteration: if none, a higher one adds nothing. */
  let cut = false;
  /**
   * Set when the run being made entered this part at a cost over the bound: its cheapest
   * alternative where the parts split was beyond it. That run is no schedule of this iteration.
   */
  let overBound = false;
  /** Set when the run being made left this part at that decision (see `SearchPart`): it counts for no part. */
  let foreignAt: number | undefined;

  /** Moves the path to the next schedule within the bound; false when this bound's tree is done. */
  const advance = (): boolean => {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      for (let at = frame.at + 1; at < frame.order.length; at++) {
        if (frame.costBefore + frame.costs[frame.order[at]!]! <= bound) {
          frame.at = at;
          return true;
        }
        cut = true;
      }
      stack.pop();
    }
    return false;
  };

  const costOf = cost;
  const makeChooser = (): Chooser => {
    let pathCost = 0;
    return {
      choose(options, decision, previous) {
        const existing = stack[decision];
        if (existing !== undefined && existing.of === options.length) {
          const index = existing.order[existing.at]!;
          pathCost = existing.costBefore + existing.costs[index]!;
          return index;
        }
        if (existing !== undefined) {
          nondeterministic = true;
          stack.length = decision;
        }
        const costs = options.map((_, i) => costOf(options, i, previous));
        let order = options.map((_, i) => i).sort((a, b) => costs[a]! - costs[b]! || a - b);
        const above = stack[decision - 1];
        const positionsBefore = above === undefined ? 0 : above.positionsBefore + above.at;
        let index = order[0]!;
        if (parts > 1 && decision === SPLIT_DEPTH - 1) {
          order = order.filter((_, position) => (positionsBefore + position) % parts === part!.index);
          // None of this decision's alternatives is in this part: the run goes on in another's, and counts for none.
          if (order.length === 0) foreignAt = decision;
          else index = order[0]!;
        }
        stack.push({ of: options.length, order, costs, costBefore: pathCost, at: 0, positionsBefore });
        pathCost += costs[index]!;
        if (pathCost > bound) {
          overBound = true;
          cut = true;
        }
        return index;
      },
      finish(decisionsMade) {
        // A shorter run than the stored path: the deeper frames belong to no schedule.
        if (decisionsMade < stack.length) {
          nondeterministic = true;
          stack.length = decisionsMade;
        }
      },
    };
  };

  return {
    name,
    nextRun(): RunPlan | undefined {
      if (done) return undefined;
      if (foreignAt !== undefined) {
        // The run just made was another part's: drop the decision that led there, which has nothing of this part.
        stack.length = foreignAt;
        foreignAt = undefined;
        overBound = false;
        schedulesThisBound--;
      } else if (overBound) {
        // The run just made was beyond the bound (see `overBound`): it does not count.
        overBound = false;
        schedulesThisBound--;
      }
      if (started && !advance()) {
        completedSchedules = schedulesThisBound;
        // Nothing was beyond the bound: these are all the schedules there are, at any bound.
        completedBound = cut ? bound : maxBound;
        if (completedBound >= maxBound) {
          done = true;
          return undefined;
        }
        bound++;
        schedulesThisBound = 0;
        cut = false;
        stack = [];
      }
      started = true;
      schedulesThisBound++;
      return { seed, chooser: makeChooser(), strategy: name };
    },
    verdict(): SearchVerdict {
      return {
        strategy: name,
        unit,
        bound: maxBound,
        exhaustive: done && !nondeterministic,
        completedBound: nondeterministic ? -1 : completedBound,
        completedSchedules: nondeterministic ? 0 : completedSchedules,
        ...(parts > 1 ? { part: part! } : {}),
        seed,
      };
    },
  };
}
