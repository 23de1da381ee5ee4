import type { ChoiceOption } from '../core/step.js';
import type { Chooser, RunPlan, Strategy } from './strategy.js';

/** What choosing `options[index]` costs against the bound (a preemption, a delay, …). */
export type CostFunction = (options: readonly ChoiceOption[], index: number, previous: ChoiceOption | undefined) => number;

/** What a bounded search covered. `exhaustive` only when every schedule within `bound` was run. */
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
}

/** A strategy that can say what it covered. */
export interface BoundedStrategy extends Strategy {
  verdict(): SearchVerdict;
}

/**
 * A schedule still to run: a prefix of choices, shared with its siblings through `parent`
 * (the tree of schedules is stored once, not one array per pending schedule).
 */
interface Prefix {
  readonly parent: Prefix | undefined;
  readonly choice: number;
  readonly length: number;
  /** Cost of the whole prefix: every schedule that extends it with cheapest choices costs this. */
  readonly cost: number;
}

function choicesOf(prefix: Prefix | undefined): number[] {
  const choices: number[] = new Array<number>(prefix?.length ?? 0);
  for (let p = prefix; p !== undefined; p = p.parent) choices[p.length - 1] = p.choice;
  return choices;
}

/** Pending schedules by cost; first in, first out within a cost, so the order is deterministic. */
class Frontier {
  private readonly buckets: Prefix[][] = [];
  private lowest = 0;
  size = 0;

  push(prefix: Prefix): void {
    (this.buckets[prefix.cost] ??= []).push(prefix);
    this.size++;
    if (prefix.cost < this.lowest) this.lowest = prefix.cost;
  }

  /** The cheapest pending cost, or Infinity. */
  peekCost(): number {
    while (this.lowest < this.buckets.length && (this.buckets[this.lowest]?.length ?? 0) === 0) this.lowest++;
    return this.lowest < this.buckets.length ? this.lowest : Infinity;
  }

  pop(): Prefix | undefined {
    if (this.peekCost() === Infinity) return undefined;
    this.size--;
    return this.buckets[this.lowest]!.shift();
  }
}

/**
 * Systematic search over the tree of schedules with iterative bounding, as in CHESS
 * (Musuvathi, Qadeer, "Iterative context bounding for systematic testing of multithreaded
 * programs", PLDI 2007): every schedule of cost 0, then of cost 1, … up to `maxBound`.
 *
 * Stateless: each schedule is one execution that replays a prefix of choices, then takes
 * the cheapest option at every new decision. Each execution reveals, at every decision past
 * its prefix, the alternatives not taken; those within the bound join a frontier ordered by
 * cost. So each schedule within the bound runs exactly once, cheapest first, and when the
 * frontier's cheapest cost passes b, every schedule of cost ≤ b has run.
 *
 * No partial-order reduction: race-hunt does not see which memory a step touches, so it
 * cannot tell which schedules are equivalent, and every schedule counted is a distinct
 * interleaving of decisions.
 *
 * If an execution does not follow a replayed prefix (the scenario is not deterministic),
 * the search goes on but never calls itself exhaustive.
 */
export function boundedSearch(name: string, unit: string, seed: number, maxBound: number, cost: CostFunction): BoundedStrategy {
  if (!Number.isInteger(maxBound) || maxBound < 0) throw new RangeError(`the ${unit} bound must be a whole number ≥ 0`);
  const frontier = new Frontier();
  let started = false;
  let nondeterministic = false;
  let runs = 0;
  /** Schedules run, by cost: the verdict counts those within the completed bound. */
  const runsByCost: number[] = [];

  const makeChooser = (prefix: Prefix | undefined): Chooser => {
    const replay = choicesOf(prefix);
    let path = prefix;
    let pathCost = prefix?.cost ?? 0;
    return {
      choose(options, decision, previous) {
        if (decision < replay.length) {
          const choice = replay[decision]!;
          if (choice < options.length) return choice;
          // The run no longer follows its prefix: carry on with cheapest choices.
          nondeterministic = true;
          replay.length = decision;
        }
        let best = 0;
        let bestCost = Infinity;
        const costs = options.map((_, i) => cost(options, i, previous));
        costs.forEach((c, i) => {
          if (c < bestCost) {
            bestCost = c;
            best = i;
          }
        });
        costs.forEach((c, i) => {
          if (i !== best && pathCost + c <= maxBound) {
            frontier.push({ parent: path, choice: i, length: decision + 1, cost: pathCost + c });
          }
        });
        pathCost += bestCost;
        path = { parent: path, choice: best, length: decision + 1, cost: pathCost };
        return best;
      },
      finish(decisionsMade) {
        if (decisionsMade < replay.length) nondeterministic = true;
      },
    };
  };

  return {
    name,
    nextRun(): RunPlan | undefined {
      let prefix: Prefix | undefined;
      if (started) {
        prefix = frontier.pop();
        if (prefix === undefined) return undefined;
      }
      started = true;
      const scheduleCost = prefix?.cost ?? 0;
      runsByCost[scheduleCost] = (runsByCost[scheduleCost] ?? 0) + 1;
      runs++;
      return { seed, chooser: makeChooser(prefix), strategy: name };
    },
    verdict(): SearchVerdict {
      // Every schedule of cost below the frontier's cheapest has run (the one handed out
      // last may still be running; the caller asks once exploration stopped).
      const done = started && frontier.size === 0;
      const cheapestPending = frontier.peekCost();
      const completed = nondeterministic || !started ? -1 : Math.min(maxBound, (done ? maxBound + 1 : cheapestPending) - 1);
      return {
        strategy: name,
        unit,
        bound: maxBound,
        exhaustive: done && !nondeterministic && runs > 0,
        completedBound: completed,
        completedSchedules: runsByCost.slice(0, completed + 1).reduce((sum, n) => sum + (n ?? 0), 0),
      };
    },
  };
}
