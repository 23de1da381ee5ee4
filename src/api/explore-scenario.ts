import type { Scenario } from '../core/scenario.js';
import type { CoverageSummary, RunSlice, SliceResult } from '../core/explore.js';
import { explore } from '../core/explore.js';
import type { Strategy } from '../core/strategy.js';
import type { ExecutionResult } from '../core/execution-result.js';
import type { ExecutionSettings } from '../runtime/run-execution.js';
import { runExecution } from '../runtime/run-execution.js';
import { awaitPairsByText, newCoverage } from '../runtime/coverage.js';
import { real } from '../runtime/real-globals.js';
import { InternalFailure } from '../core/internal-failure.js';
import type { UncontrolledLog } from '../runtime/uncontrolled.js';

/** One self-contained exploration: a loaded scenario and settings in, result data out. */
export interface ExplorationRequest {
  readonly scenario: Scenario;
  readonly strategy: Strategy;
  readonly runs: number;
  readonly settings: ExecutionSettings;
  /** Hears what ran outside race-hunt's control (its first run is a census run). */
  readonly uncontrolled?: UncontrolledLog;
  /** Called now and then (at most every 100 ms of wall time) with the runs so far. */
  readonly onProgress?: (runs: number, coverage: CoverageSummary, elapsedMs: number) => void;
  /** A worker's share of the runs (default: all of them). */
  readonly slice?: RunSlice;
  /** Hears every execution's result (a replay keeps its trace, whatever the outcome). */
  readonly onExecuted?: (result: ExecutionResult) => void;
}

/** An exploration's result, with what a merge of several workers' results needs. */
export type ScenarioExploration = SliceResult & {
  readonly durationMs: number;
  /** Await pairs by location text, each with the index of the run that saw it first. */
  readonly awaitPairsAt: ReturnType<typeof awaitPairsByText>;
};

const PROGRESS_INTERVAL_MS = 100;

/**
 * Explores one scenario under one strategy. The caller must hold an open runtime session.
 * Throws {@link InternalFailure} when race-hunt's own code fails, with the run it failed in.
 */
export async function exploreScenario(request: ExplorationRequest): Promise<ScenarioExploration> {
  const started = real.performanceNow();
  let lastProgress = started;
  const coverage = newCoverage();
  let completed = 0;
  const settings = request.uncontrolled === undefined ? request.settings : { ...request.settings, uncontrolled: request.uncontrolled };
  const result = await explore(
    request.strategy,
    (plan, index) => {
      coverage.run = index;
      const executed = runExecution(request.scenario, plan, settings, coverage);
      return request.onExecuted === undefined ? executed : executed.then((result) => (request.onExecuted!(result), result));
    },
    { runs: request.runs },
    (runs, summary) => {
      completed = runs;
      if (request.onProgress === undefined || (runs & 15) !== 0) return;
      const now = real.performanceNow();
      if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      request.onProgress(runs, summary(), now - started);
    },
    request.slice,
  ).catch((error: unknown) => {
    // Nothing the user's code does throws out of an exploration: the strategy, or the runtime, failed.
    throw InternalFailure.of(error, { run: completed + 1 });
  });
  return { ...result, durationMs: real.performanceNow() - started, awaitPairsAt: awaitPairsByText(coverage) };
}
