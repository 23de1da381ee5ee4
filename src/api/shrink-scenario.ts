import type { Scenario } from '../core/scenario.js';
import type { Failure, ShrinkResult } from '../search/shrink.js';
import { shrinkFailure } from '../search/shrink.js';
import { newCoverage } from '../runtime/coverage.js';
import { real } from '../runtime/real-globals.js';
import type { ExecutionSettings } from '../runtime/run-execution.js';
import { runExecution } from '../runtime/run-execution.js';

/** Shrinks one found failure by re-running its scenario. The caller must hold an open runtime session. */
export async function shrinkScenarioFailure(request: {
  readonly scenario: Scenario;
  readonly failure: Failure;
  readonly settings: ExecutionSettings;
  readonly timeMs: number;
  readonly onProgress?: (runs: number, best: Failure) => void;
}): Promise<ShrinkResult> {
  const deadline = real.performanceNow() + request.timeMs;
  const coverage = newCoverage();
  const settings = { ...request.settings, keepTrace: false };
  return shrinkFailure(request.failure, {
    execute: (chooser, maxSteps) =>
      runExecution(
        request.scenario,
        { seed: request.failure.schedule.seed, chooser, strategy: 'shrink' },
        // Stopped before the step after `maxSteps`: it ends as a `timeout`, which fails no search for a shorter one.
        maxSteps === undefined ? settings : { ...settings, stopBefore: { step: maxSteps + 1, message: `shrinking: stopped after ${maxSteps} steps` } },
        coverage,
      ),
    outOfTime: () => real.performanceNow() > deadline,
    ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
  });
}
