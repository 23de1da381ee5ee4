import type { ExecutionResult } from '../core/execution-result.js';
import type { Chooser } from '../core/strategy.js';
import type { Switch } from '../strategies/switch-plan.js';
import { switchesOf, switchPlanChooser } from '../strategies/switch-plan.js';
import { dfsStrategy } from '../strategies/dfs.js';
import { entityOf } from '../core/entity.js';

/** A failing execution with its trace: what shrinking starts from and returns. */
export type Failure = Extract<ExecutionResult, { status: 'violation' }> & {
  readonly trace: NonNullable<ExecutionResult['trace']>;
  readonly entities: NonNullable<ExecutionResult['entities']>;
};

/** What shrinking needs from the outside world. */
export interface ShrinkEnvironment {
  /**
   * Runs the scenario once under `chooser`, with the failing run's seed. With `maxSteps`, the
   * run stops before its step `maxSteps + 1` (and then fails some other way, not as the original).
   */
  execute(chooser: Chooser, maxSteps?: number): Promise<ExecutionResult>;
  /** True once the time budget is spent (checked between executions). */
  outOfTime(): boolean;
  /** Executions at most (default: no limit but the time). For tests that want a budget that does not depend on speed. */
  readonly maxRuns?: number;
  onProgress?(runs: number, best: Failure): void;
}

export interface ShrinkResult {
  readonly failure: Failure;
  readonly original: { readonly steps: number; readonly preemptions: number };
  readonly runs: number;
  /** Proven: every schedule with fewer preemptions was run and none failed this way. */
  readonly minimal: boolean;
  /**
   * Proven as well: every schedule with as many preemptions and fewer steps was run and none
   * failed this way (only searched once `minimal` holds).
   */
  readonly minimalSteps: boolean;
  /** The run or time budget ended the search before both proofs. */
  readonly cutShort: boolean;
  /** Wall time spent shrinking and the budget it had (`--shrink-time`): set by whoever timed it. */
  readonly durationMs?: number;
  readonly budgetMs?: number;
}

class OutOfBudget extends Error {}

/** Fewer preemptions first, then fewer steps. */
function better(a: Failure, b: Failure): boolean {
  return a.preemptions < b.preemptions || (a.preemptions === b.preemptions && a.steps < b.steps);
}

/**
 * `inner`'s choices, except that `entity` is not chosen while another option is ready: the
 * task (or the timers) it names runs only when nothing else can, so steps of a task the
 * violation does not need move after it.
 */
function deferring(entity: number, inner: Chooser): Chooser {
  return {
    ...inner,
    choose(options, decision, previous) {
      const index = inner.choose(options, decision, previous);
      if (entityOf(options[index]!) !== entity) return index;
      const other = options.findIndex((o) => entityOf(o) !== entity);
      return other < 0 ? index : other;
    },
  };
}

function switchesOfFailure(failure: Failure): Switch[] {
  return switchesOf(failure.entities, (step) => failure.trace[step]?.preemption === true);
}

/**
 * Shrinks a failing schedule to the fewest preemptions, then the fewest steps, keeping the
 * violation's kind (and its message while that is possible). Each stage is deterministic, so
 * the same failure shrinks to the same result (unless the time budget cuts it short):
 *
 * 1. Delta debugging (Zeller & Hildebrandt, TSE 2002) over the run's preemptive context
 *    switches: drop halves, quarters, … single switches, re-running under a switch plan,
 *    and keep any run that still fails the same way with fewer preemptions or steps.
 * 2. Dropping non-preemptive switches one by one, for fewer steps.
 * 3. Preemption-bounded search (as in CHESS) over every schedule with fewer preemptions
 *    than the best so far, cheapest first: a failure found there has fewer preemptions (and
 *    stages 1–2 run again on it); if the space is covered without one, the preemptions are
 *    proven minimal.
 * 4. Deferring each task in turn: its switches dropped, and never chosen while another
 *    option is ready, so that a task that plays no part runs after the violation.
 * 5. Step-bounded search: every schedule with no more preemptions and fewer steps than the
 *    best, each run stopped before it could reach as many steps; a failure found there is the
 *    new best and the search starts again below it. Covered without one: the steps are
 *    proven minimal for that number of preemptions.
 */
export async function shrinkFailure(original: Failure, env: ShrinkEnvironment): Promise<ShrinkResult> {
  let runs = 0;
  let best = original;
  const kind = original.violation.kind;
  const run = async (chooser: Chooser, maxSteps?: number): Promise<ExecutionResult> => {
    if (runs >= (env.maxRuns ?? Infinity) || env.outOfTime()) throw new OutOfBudget();
    runs++;
    return env.execute(chooser, maxSteps);
  };
  const failsTheSameWay = (result: ExecutionResult, sameMessage: boolean): result is Failure =>
    result.status === 'violation' &&
    result.violation.kind === kind &&
    result.trace !== undefined &&
    result.entities !== undefined &&
    (!sameMessage || result.violation.message === original.violation.message);
  const tryPlan = async (plan: readonly Switch[], sameMessage: boolean, defer?: number): Promise<boolean> => {
    const result = await run(defer === undefined ? switchPlanChooser(plan) : deferring(defer, switchPlanChooser(plan)));
    if (failsTheSameWay(result, sameMessage) && better(result, best)) {
      best = result;
      env.onProgress?.(runs, best);
      return true;
    }
    return false;
  };

  let minimal = false;
  let minimalSteps = false;
  let cutShort = false;
  try {
    for (;;) {
      for (const sameMessage of [true, false]) await dropPreemptions(sameMessage);
      await dropFreeSwitches();
      const before = best;
      minimal = await searchFewerPreemptions();
      // A failure with fewer preemptions came from a search, not from the trace: shrink it too.
      if (best === before) break;
    }
    if (minimal) {
      await deferTasks();
      minimalSteps = await searchFewerSteps();
    }
  } catch (error) {
    if (!(error instanceof OutOfBudget)) throw error;
    cutShort = true;
  }
  return { failure: best, original: { steps: original.steps, preemptions: original.preemptions }, runs, minimal, minimalSteps, cutShort };

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

  /** Tries each task of `best`, first to last, deferred (see `deferring`); again from the first after any success. */
  async function deferTasks(): Promise<void> {
    for (let i = 0; ; i++) {
      const entities = [...new Set(best.entities)];
      if (i >= entities.length) return;
      const entity = entities[i]!;
      if (await tryPlan(switchesOfFailure(best).filter((s) => s.to !== entity), false, entity)) i = -1;
    }
  }

  /**
   * True when every schedule with at most `best`'s preemptions and fewer steps ran and none
   * failed so. Each run stops before it reaches `best`'s number of steps, which keeps the
   * search to the schedules that could be shorter.
   */
  async function searchFewerSteps(): Promise<boolean> {
    // A step-limit violation is about the number of steps: fewer cannot fail the same way.
    if (kind === 'step-limit' || best.steps <= 1) return true;
    for (;;) {
      const search = dfsStrategy(original.schedule.seed, best.preemptions);
      let shorter: Failure | undefined;
      for (;;) {
        const plan = search.nextRun();
        if (plan === undefined) break;
        const result = await run(plan.chooser, best.steps - 1);
        if (failsTheSameWay(result, false) && better(result, best)) {
          shorter = result;
          break;
        }
      }
      if (shorter === undefined) return search.verdict().exhaustive;
      best = shorter;
      env.onProgress?.(runs, best);
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
