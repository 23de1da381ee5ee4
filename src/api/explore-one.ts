import type { ScenarioReport } from '../core/report.js';
import type { Scenario } from '../core/scenario.js';
import type { Failure, ShrinkResult } from '../core/shrink.js';
import { exploreScenario } from '../explore-scenario.js';
import { shrinkScenarioFailure } from '../shrink-scenario.js';
import type { SearchVerdict } from '../strategies/bounded-search.js';
import type { Strategy } from '../strategies/strategy.js';
import { failureRecord, findingStore } from './failure-saving.js';
import { replayCorpus } from './corpus-replay.js';
import type { CorpusReport } from '../core/report.js';
import type { Resolved } from './options.js';
import { settingsOf, SHRINK_MAX_RUNS } from './options.js';
import { errorReport, internalErrorReport, isOwnFailure, scenarioReport } from './scenario-report.js';
import { InternalFailure } from '../core/internal-failure.js';
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
  /** Replaying a saved failure: what changed since it was saved, said if the replay diverges. */
  readonly divergenceCause?: string;
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
  let corpus: CorpusReport | undefined;
  if (request.mode === 'find' && resolved.corpus) {
    doing.now = 'replaying the saved failures of';
    const replayed = await replayCorpus({ file, scenario, strategy: created.name }, resolved);
    if (replayed.hit !== undefined) return replayed.hit;
    corpus = replayed.corpus;
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
    const store = findingStore(resolved);
    doing.now = 'saving a violation of';
    failureFile = store.saveFound(first);
    if (!resolved.shrink) ({ failureFile, reportFiles } = store.saveFinal(first));
    else {
      reporter.onShrinkStart?.({ file, name, steps: original.steps, preemptions: original.preemptions });
      doing.now = failureFile === undefined ? 'shrinking a violation of' : `shrinking a violation (saved in ${failureFile}) of`;
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
      ({ failureFile, reportFiles } = store.saveFinal(shrunk));
    }
    // The first run was a census run; when another is reported, count its awaits too.
    const shown = shrink?.failure ?? original;
    if (finding.run !== 1 || shown !== original) await censusRun(scenario, shown.schedule, settings, uncontrolled);
  }
  doing.now = 'reporting';
  const report = scenarioReport(result, {
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
    ...(request.divergenceCause === undefined ? {} : { divergenceCause: request.divergenceCause }),
  });
  return corpus === undefined ? report : { ...report, corpus };
}

/** Runs `schedule` once more as a census run (what it does is not reported: the run it replays is). */
async function censusRun(scenario: Scenario, schedule: Schedule, settings: ExecutionSettings, uncontrolled: UncontrolledLog): Promise<void> {
  uncontrolled.censusEveryRun = true;
  await exploreScenario({ scenario, strategy: replayStrategy(schedule), runs: 1, settings, uncontrolled });
}
