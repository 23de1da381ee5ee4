import { resolve } from 'node:path';
import type { ScenarioReport } from '../core/report.js';
import type { Scenario } from '../core/scenario.js';
import type { Failure, ShrinkResult } from '../core/shrink.js';
import { exploreScenario } from '../explore-scenario.js';
import { shrinkScenarioFailure } from '../shrink-scenario.js';
import type { SearchVerdict } from '../strategies/bounded-search.js';
import type { Strategy } from '../strategies/strategy.js';
import { failureRecord, saveFailure } from './failure-saving.js';
import type { Resolved } from './options.js';
import { settingsOf, SHRINK_MAX_RUNS } from './options.js';
import { scenarioReport } from './scenario-report.js';

/** A strategy for one scenario, its name as reported, and what its systematic members covered. */
export interface ExplorationStrategy {
  readonly name: string;
  readonly strategy: Strategy;
  readonly verdicts: () => readonly SearchVerdict[];
}

/** How one scenario is explored: to find (save and shrink what is found) or to replay (neither). */
export interface ExploreOneRequest {
  readonly file: string;
  readonly scenario: Scenario;
  readonly created: ExplorationStrategy;
  readonly runs: number;
  readonly seed: number;
  readonly mode: 'find' | 'replay';
}

/**
 * Explores one scenario and reports it. A violation found is saved to disk at once, before
 * shrinking or printing can go wrong, and saved again once shrunk.
 */
export async function exploreOne(request: ExploreOneRequest, resolved: Resolved): Promise<ScenarioReport> {
  const { reporter } = resolved;
  const { file, scenario, created, runs } = request;
  const name = scenario.name;
  reporter.onScenarioStart?.({ file, name, budget: runs });
  const settings = settingsOf(resolved, request.mode === 'replay');
  const result = await exploreScenario({
    scenario,
    strategy: created.strategy,
    runs,
    settings,
    onProgress: (done, coverage, elapsedMs) =>
      reporter.onProgress?.({ file, name, runs: done, budget: runs, interleavings: coverage.interleavings, elapsedMs }),
  });
  let shrink: ShrinkResult | undefined;
  let failureFile: string | undefined;
  const finding = result.finding;
  if (request.mode === 'find' && finding !== undefined && finding.result.status === 'violation') {
    const original = finding.result as Failure;
    const origin = {
      file,
      name,
      seed: request.seed,
      strategy: created.name,
      foundBy: finding.strategy,
      run: finding.run,
      options: resolved.replayOptions,
    };
    failureFile = saveFailure(resolved.cwd, failureRecord(origin, original));
    if (resolved.shrink) {
      reporter.onShrinkStart?.({ file, name, steps: original.steps, preemptions: original.preemptions });
      shrink = await shrinkScenarioFailure({
        scenario,
        failure: original,
        settings,
        timeMs: resolved.shrinkTimeMs,
        maxRuns: SHRINK_MAX_RUNS,
        onProgress: (shrinkRuns, best) =>
          reporter.onShrinkProgress?.({ file, name, runs: shrinkRuns, steps: best.steps, preemptions: best.preemptions }),
      });
      saveFailure(resolved.cwd, failureRecord(origin, original, shrink), resolve(resolved.cwd, failureFile));
    }
  }
  const report = scenarioReport(result, {
    file,
    name,
    strategy: created.name,
    verdicts: created.verdicts(),
    replayOptions: resolved.replayOptions,
    durationMs: result.durationMs,
    ...(shrink === undefined ? {} : { shrink }),
    ...(failureFile === undefined ? {} : { failureFile }),
  });
  reporter.onScenarioEnd?.(report);
  return report;
}
