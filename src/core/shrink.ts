import type { ExecutionResult } from './execution-result.js';
import type { Chooser } from '../strategies/strategy.js';
import type { Switch } from '../strategies/switch-plan.js';
import { switchesOf, switchPlanChooser } from '../strategies/switch-plan.js';
import { dfsStrategy } from '../strategies/dfs.js';

/** A failing execution with its trace: what shrinking starts from and returns. */
export type Failure = Extract<ExecutionResult, { status: 'violation' }> & {
  readonly trace: NonNullable<ExecutionResult['trace']>;
  readonly entities: NonNullable<ExecutionResult['entities']>;
};

/** What shrinking needs from the outside world. */
export interface ShrinkEnvironment {
  /** Runs the scenario once under `chooser`, with the failing run's seed. */
  execute(chooser: Chooser): Promise<ExecutionResult>;
  /** True once the time budget is spent (checked between executions). */
  outOfTime(): boolean;
  /** Executions at most. */
  readonly maxRuns: number;
  onProgress?(runs: number, best: Failure): void;
}

export interface ShrinkResult {
  readonly failure: Failure;
  readonly original: { readonly steps: number; readonly preemptions: number };
  readonly runs: number;
  /** Proven: every schedule with fewer preemptions was run and none failed this way. */
  readonly minimal: boolean;
  /** The run or time budget ended the search. */
  readonly cutShort: boolean;
}

class OutOfBudget extends Error {}

/** Fewer preemptions first, then fewer steps. */
function better(a: Failure, b: Failure): boolean {
  return a.preemptions < b.preemptions || (a.preemptions === b.preemptions && a.steps < b.steps);
}

function switchesOfFailure(failure: Failure): Switch[] {
  return switchesOf(failure.entities, (step) => failure.trace[step]?.preemption === true);
}

/**
 * Shrinks a failing schedule to the fewest preemptions, then the fewest steps, keeping the
 * violation's kind (and its message while that is possible). Three stages, each
 * deterministic, so the same failure shrinks to the same result (unless the time budget
 * cuts it short):
 *
 * 1. Delta debugging (Zeller & Hildebrandt, TSE 2002) over the run's preemptive context
 *    switches: drop halves, quarters, … single switches, re-running under a switch plan,
 *    and keep any run that still fails the same way with fewer preemptions or steps.
 * 2. Dropping non-preemptive switches one by one, for fewer steps.
 * 3. Preemption-bounded search (as in CHESS) over every schedule with fewer preemptions
 *    than the best so far, cheapest first: a failure found there has fewer preemptions; if
 *    the space is covered without one, the result is proven minimal.
 */
export async function shrinkFailure(original: Failure, env: ShrinkEnvironment): Promise<ShrinkResult> {
  let runs = 0;
  let best = original;
  const kind = original.violation.kind;
  const run = async (chooser: Chooser): Promise<ExecutionResult> => {
    if (runs >= env.maxRuns || env.outOfTime()) throw new OutOfBudget();
    runs++;
    const result = await env.execute(chooser);
    return result;
  };
  const failsTheSameWay = (result: ExecutionResult, sameMessage: boolean): result is Failure =>
    result.status === 'violation' &&
    result.violation.kind === kind &&
    result.trace !== undefined &&
    result.entities !== undefined &&
    (!sameMessage || result.violation.message === original.violation.message);
  const tryPlan = async (plan: readonly Switch[], sameMessage: boolean): Promise<boolean> => {
    const result = await run(switchPlanChooser(plan));
    if (failsTheSameWay(result, sameMessage) && better(result, best)) {
      best = result;
      env.onProgress?.(runs, best);
      return true;
    }
    return false;
  };

  let minimal = false;
  let cutShort = false;
  try {
    for (const sameMessage of [true, false]) await dropPreemptions(sameMessage);
    await dropFreeSwitches();
    minimal = await searchFewerPreemptions();
  } catch (error) {
    if (!(error instanceof OutOfBudget)) throw error;
    cutShort = true;
  }
  return { failure: best, original: { steps: original.steps, preemptions: original.preemptions }, runs, minimal, cutShort };

  async function dropPreemptions(sameMessage: boolean): Promise<void> {
    let granularity = 2;
    for (;;) {
      const switches = switchesOfFailure(best);
      const preemptive = switches.filter((s) => s.preemptive);
      if (preemptive.length === 0) return;
      const size = Math.ceil(preemptive.length / granularity);
      let reduced = false;
      for (let start = 0; start < preemptive.length && !reduced; start += size) {
        const removed = new Set(preemptive.slice(start, start + size));
        reduced = await tryPlan(
          switches.filter((s) => !removed.has(s)),
          sameMessage,
        );
      }
      if (reduced) granularity = Math.max(granularity - 1, 2);
      else if (granularity >= preemptive.length) return;
      else granularity = Math.min(granularity * 2, preemptive.length);
    }
  }

  async function dropFreeSwitches(): Promise<void> {
    for (let i = 0; ; i++) {
      const switches = switchesOfFailure(best);
      const free = switches.filter((s) => !s.preemptive);
      if (i >= free.length) return;
      const removed = free[i]!;
      if (await tryPlan(switches.filter((s) => s !== removed), false)) i = -1;
    }
  }

  /** True when every schedule with fewer preemptions than `best` ran and none failed so. */
  async function searchFewerPreemptions(): Promise<boolean> {
    if (best.preemptions === 0) return true;
    const search = dfsStrategy(original.schedule.seed, best.preemptions - 1);
    for (;;) {
      const plan = search.nextRun();
      if (plan === undefined) return search.verdict().exhaustive;
      const result = await run(plan.chooser);
      if (failsTheSameWay(result, false) && result.preemptions < best.preemptions) {
        best = result;
        env.onProgress?.(runs, best);
        // The search runs cheaper bounds first: all schedules below this one's bound passed.
        return search.verdict().completedBound >= best.preemptions - 1;
      }
    }
  }
}
