import type { ExecutionResult } from './execution-result.js';
import type { RunPlan, Strategy } from './strategy.js';

export interface ExploreLimits {
  /** Executions at most. */
  readonly runs: number;
}

/** Coverage so far: distinct interleavings and await pairs, and whether novelty dried up. */
export interface CoverageSummary {
  /** Distinct interleavings seen (by the hash of their task/await sequence). */
  readonly interleavings: number;
  /** Distinct ordered pairs of await locations (which await resumed right after which). */
  readonly awaitPairs: number;
  /** The execution (1-based) that last added a new interleaving or await pair. */
  readonly lastNewAt: number;
}

/** What an exploration found. `finding` is the first execution that did not pass. */
export interface ExplorationResult extends CoverageSummary {
  readonly runs: number;
  /** The strategy covered its whole space before the run budget ran out. */
  readonly exhausted: boolean;
  readonly finding?: {
    /** The execution (1-based) that found it: runs to first violation. */
    readonly run: number;
    /** The strategy (or portfolio member) whose plan found it. */
    readonly strategy: string;
    readonly result: Exclude<ExecutionResult, { status: 'pass' }>;
  };
}

/**
 * Exploration looks saturated when a long stretch brought nothing new: at least 500 runs,
 * and no new interleaving or await pair in the latter half of them.
 */
export function isSaturated(runs: number, coverage: CoverageSummary): boolean {
  return runs >= 500 && runs - coverage.lastNewAt >= runs / 2;
}

/**
 * The first runs, which every worker sharing an exploration runs (see `RunSplit`): the
 * strategy calibrates on them, then plans by run index alone.
 */
export const CALIBRATION_RUNS = 64;

/** Which of the run indices this exploration runs: all of them, or a worker's share. */
export interface RunSlice {
  /** This worker's number, from 0, and how many share the runs. */
  readonly worker: number;
  readonly workers: number;
  /**
   * Read before each run: runs from this index on are not needed (a run with a lower index
   * failed elsewhere, or the time is up). Default: every run is.
   */
  readonly bound?: () => number;
}

const WHOLE: RunSlice = { worker: 0, workers: 1 };

/**
 * Who runs the next run after calibration: worker 0 runs every serial run, and each other run
 * goes to the worker with the fewest so far (the lowest on a tie), so that worker 0's serial
 * runs do not make it the one the others wait for. Counts the run in `assigned`.
 */
function ownerOf(serial: boolean, assigned: number[]): number {
  let owner = 0;
  if (!serial) for (let w = 1; w < assigned.length; w++) if (assigned[w]! < assigned[owner]!) owner = w;
  assigned[owner]!++;
  return owner;
}

/** A slice's result, with what a merge of slices needs: the run index (0-based) at which each interleaving was first seen. */
export interface SliceResult extends ExplorationResult {
  /** Runs actually executed here (calibration runs of workers other than 0 included). */
  readonly executed: number;
  /** Interleaving hash → index of the first run here that produced it. */
  readonly interleavingsAt: ReadonlyMap<number, number>;
}

/**
 * Runs executions under a strategy until one fails, the budget is spent, or the strategy is
 * exhausted. With a slice, runs only the slice's share of the run indices (the first
 * `CALIBRATION_RUNS` everywhere, the strategy's serial runs on worker 0, the others spread
 * evenly, see `ownerOf`):
 * for a given strategy seed, run `i` has the same plan whichever worker runs it.
 */
export async function explore(
  strategy: Strategy,
  execute: (plan: RunPlan, index: number) => Promise<ExecutionResult>,
  limits: ExploreLimits,
  /** Hears every execution; `coverage()` makes the summary, for a caller that wants it now and then. */
  onRun?: (runs: number, coverage: () => CoverageSummary) => void,
  slice: RunSlice = WHOLE,
): Promise<SliceResult> {
  const seen = new Map<number, number>();
  let awaitPairs = 0;
  let lastNewAt = 0;
  let executed = 0;
  let exhausted = false;
  const split = strategy.split;
  const summary = (): CoverageSummary => ({ interleavings: seen.size, awaitPairs, lastNewAt });
  const done = (finding?: ExplorationResult['finding']): SliceResult => ({
    runs: executed,
    ...summary(),
    exhausted,
    executed,
    interleavingsAt: seen,
    ...(finding === undefined ? {} : { finding }),
  });
  // Runs handed to each worker after calibration: every worker counts alike, so they agree on who runs what.
  const assigned = new Array<number>(slice.workers).fill(0);
  let index = 0;
  for (; index < limits.runs; index++) {
    if (slice.bound !== undefined && index >= slice.bound()) break;
    if (index === CALIBRATION_RUNS) split?.freeze();
    const serial = split === undefined || split.nextIsSerial();
    const mine = index < CALIBRATION_RUNS || ownerOf(serial, assigned) === slice.worker;
    if (!mine) {
      split!.skip();
      continue;
    }
    const plan = strategy.nextRun();
    if (plan === undefined) {
      exhausted = true;
      break;
    }
    const result = await execute(plan, index);
    executed++;
    if (index < CALIBRATION_RUNS) split?.observe(result.schedule.decisions.length);
    const before = seen.size;
    if (!seen.has(result.interleaving)) seen.set(result.interleaving, index);
    awaitPairs += result.newAwaitPairs;
    if (seen.size > before || result.newAwaitPairs > 0) lastNewAt = index + 1;
    onRun?.(executed, summary);
    if (result.status !== 'pass') {
      return done({ run: index + 1, strategy: plan.strategy, result });
    }
  }
  return done();
}
