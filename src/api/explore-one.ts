import { resolve } from 'node:path';
import type { ScenarioReport } from '../core/report.js';
import type { Scenario } from '../core/scenario.js';
import type { Failure, ShrinkResult } from '../core/shrink.js';
import { exploreScenario } from '../explore-scenario.js';
import { shrinkScenarioFailure } from '../shrink-scenario.js';
import type { SearchVerdict } from '../strategies/bounded-search.js';
import type { Strategy } from '../strategies/strategy.js';
import { failureRecord, saveFailure, saveFailureAndReport } from './failure-saving.js';
import type { Resolved } from './options.js';
import { settingsOf, SHRINK_MAX_RUNS } from './options.js';
import { errorReport, internalErrorReport, isOwnFailure, scenarioReport } from './scenario-report.js';
import { InternalFailure } from '../core/internal-failure.js';
import { corpusFor } from '../failures/corpus.js';
import { decodeSchedule } from '../core/schedule.js';
import { displayPath } from '../core/user-frame.js';
import { replayStrategy } from '../strategies/replay.js';
import type { ExecutionSettings } from '../runtime/run-execution.js';
import { UncontrolledLog } from '../runtime/uncontrolled.js';
import type { Schedule } from '../core/schedule.js';

/** A strategy for one scenario, its name as reported, and what its systematic members covered. */
export interface ExplorationStrategy {
  readonly name: string;
  readonly strategy: Strategy;
  readonly verdicts: () => readonly SearchVerdict[];
}

/**
 * Replays the scenario's saved failures first (a CI gate sees a known regression at once,
 * deterministically). A schedule that still fails is the finding; one that passes or no
 * longer fits the code is skipped.
 */
async function replayCorpus(request: ExploreOneRequest, resolved: Resolved, uncontrolled: UncontrolledLog): Promise<ScenarioReport | undefined> {
  const { file, scenario, created } = request;
  const settings = settingsOf(resolved, true);
  for (const entry of corpusFor(resolved.cwd, file, scenario.name)) {
    let schedule;
    try {
      schedule = decodeSchedule(entry.record.schedule);
    } catch {
      continue;
    }
    // Every replay is a census run: the one that fails is the one reported.
    uncontrolled.censusEveryRun = true;
    const replayed = await exploreScenario({ scenario, strategy: replayStrategy(schedule), runs: 1, settings, uncontrolled });
    const result = replayed.finding?.result;
    if (result?.status !== 'violation') continue;
    return scenarioReport(
      { ...replayed, finding: { run: 1, strategy: `corpus (${displayPath(entry.path, resolved.cwd)})`, result } },
      {
        file,
        name: scenario.name,
        strategy: created.name,
        verdicts: [],
        replayOptions: resolved.replayOptions,
        durationMs: replayed.durationMs,
        failureFile: displayPath(entry.path, resolved.cwd),
        uncontrolled: uncontrolled.report(),
      },
    );
  }
  return undefined;
}

/** How one scenario is explored: to find (save and shrink what is found) or to replay (neither). */
export interface ExploreOneRequest {
  readonly file: string;
  readonly scenario: Scenario;
  readonly created: ExplorationStrategy;
  readonly runs: number;
  readonly seed: number;
  readonly mode: 'find' | 'replay';
  /** The command that does this again (the user's `run` or `replay`, for this scenario alone): for a bug report. */
  readonly reproduce: string;
}

/**
 * Explores one scenario and reports it. A violation found is saved to disk at once, before
 * shrinking or printing can go wrong, and saved again once shrunk. race-hunt's own failure
 * is this scenario's error (an internal one), and the caller goes on with the next scenario.
 */
export async function exploreOne(request: ExploreOneRequest, resolved: Resolved): Promise<ScenarioReport> {
  const { file, scenario, runs } = request;
  resolved.reporter.onScenarioStart?.({ file, name: scenario.name, budget: runs });
  const doing = { now: request.mode === 'replay' ? 'replaying' : 'exploring' };
  let report: ScenarioReport;
  try {
    report = await exploreAndReport(request, resolved, doing);
  } catch (error) {
    report = failureReport(error, request, resolved, doing.now);
  }
  resolved.reporter.onScenarioEnd?.(report);
  return report;
}

/** What went wrong in exploring one scenario, as its report: race-hunt's own failure, or one it can name. */
function failureReport(error: unknown, request: ExploreOneRequest, resolved: Resolved, doing: string): ScenarioReport {
  const { file, scenario } = request;
  // Saving a failure can meet a full disk or a read-only directory: the user's to fix, not our bug.
  if (!isOwnFailure(error)) return errorReport(file, scenario.name, error);
  return internalErrorReport(InternalFailure.of(error), {
    file,
    name: scenario.name,
    doing,
    seed: request.seed,
    reproduce: request.reproduce,
    replayOptions: resolved.replayOptions,
  });
}

async function exploreAndReport(request: ExploreOneRequest, resolved: Resolved, doing: { now: string }): Promise<ScenarioReport> {
  const { reporter } = resolved;
  const { file, scenario, created, runs } = request;
  const name = scenario.name;
  const settings = settingsOf(resolved, request.mode === 'replay');
  if (request.mode === 'find' && resolved.corpus) {
    doing.now = 'replaying the saved failures of';
    const hit = await replayCorpus(request, resolved, new UncontrolledLog(resolved.cwd));
    if (hit !== undefined) return hit;
    doing.now = 'exploring';
  }
  const uncontrolled = new UncontrolledLog(resolved.cwd);
  const result = await exploreScenario({
    scenario,
    strategy: created.strategy,
    runs,
    settings,
    uncontrolled,
    onProgress: (done, coverage, elapsedMs) =>
      reporter.onProgress?.({ file, name, runs: done, budget: runs, interleavings: coverage.interleavings, elapsedMs }),
  });
  let shrink: ShrinkResult | undefined;
  let failureFile: string | undefined;
  let reportFiles: readonly string[] = [];
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
    const first = failureRecord(origin, original);
    doing.now = 'saving a violation of';
    failureFile = saveFailure(resolved.cwd, first);
    if (!resolved.shrink) reportFiles = saveFailureAndReport(resolved.cwd, first, resolved.reportDir, resolve(resolved.cwd, failureFile)).reportFiles;
    else {
      reporter.onShrinkStart?.({ file, name, steps: original.steps, preemptions: original.preemptions });
      doing.now = `shrinking a violation (saved in ${failureFile}) of`;
      shrink = await shrinkScenarioFailure({
        scenario,
        failure: original,
        settings,
        timeMs: resolved.shrinkTimeMs,
        maxRuns: SHRINK_MAX_RUNS,
        onProgress: (shrinkRuns, best) =>
          reporter.onShrinkProgress?.({ file, name, runs: shrinkRuns, steps: best.steps, preemptions: best.preemptions }),
      });
      const shrunk = failureRecord(origin, original, shrink);
      doing.now = 'saving a violation of';
      reportFiles = saveFailureAndReport(resolved.cwd, shrunk, resolved.reportDir, resolve(resolved.cwd, failureFile)).reportFiles;
    }
    // The first run was a census run; when another is reported, count its awaits too.
    const shown = shrink?.failure ?? original;
    if (finding.run !== 1 || shown !== original) await censusRun(scenario, shown.schedule, settings, uncontrolled);
  }
  doing.now = 'reporting';
  return scenarioReport(result, {
    file,
    name,
    strategy: created.name,
    verdicts: created.verdicts(),
    replayOptions: resolved.replayOptions,
    durationMs: result.durationMs,
    ...(shrink === undefined ? {} : { shrink }),
    ...(failureFile === undefined ? {} : { failureFile }),
    reportFiles,
    uncontrolled: uncontrolled.report(),
  });
}

/** Runs `schedule` once more as a census run (what it does is not reported: the run it replays is). */
async function censusRun(scenario: Scenario, schedule: Schedule, settings: ExecutionSettings, uncontrolled: UncontrolledLog): Promise<void> {
  uncontrolled.censusEveryRun = true;
  await exploreScenario({ scenario, strategy: replayStrategy(schedule), runs: 1, settings, uncontrolled });
}
