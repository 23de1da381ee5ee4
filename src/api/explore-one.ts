import type { ScenarioReport } from '../core/report.js';
import type { Failure, ShrinkResult } from '../search/shrink.js';
import { failureRecord, findingStore } from './failure-saving.js';
import { replayCorpus } from './corpus-replay.js';
import type { CorpusReport } from '../core/report.js';
import type { Resolved } from './options.js';
import { settingsOf } from './options.js';
import { errorReport, internalErrorReport, isOwnFailure, scenarioReport } from './scenario-report.js';
import { InternalFailure } from '../core/internal-failure.js';
import type { Schedule } from '../core/schedule.js';
import type { UncontrolledReport } from '../core/uncontrolled.js';
import { mergeUncontrolled } from '../core/uncontrolled.js';
import type { Nondeterminism } from '../core/nondeterminism.js';
import { likelyCause, outcomeOf, reproduces } from '../core/nondeterminism.js';
import type { RunSettings, ScenarioRunner, StrategySpec } from './scenario-runner.js';

/** How one scenario is explored: to find (save and shrink what is found) or to replay (neither). */
export interface ExploreOneRequest {
  readonly file: string;
  readonly name: string;
  /** Where the scenario's executions run: this thread, or workers. */
  readonly runner: ScenarioRunner;
  readonly strategy: StrategySpec;
  /** The strategy's name as reported (`portfolio`, `replay`, …). */
  readonly strategyName: string;
  readonly runs: number;
  /** A share of `--time-budget`: no run starts after this time (ms since the epoch). */
  readonly deadline?: number;
  /** Shards splitting this scenario's runs: this one's (see `ExploreJob.share`). */
  readonly runShare?: { readonly index: number; readonly count: number };
  readonly seed: number;
  readonly mode: 'find' | 'replay';
  /** The command that does this again (the user's `run` or `replay`, for this scenario alone): for a bug report. */
  readonly reproduce: string;
  /** Replaying a saved failure: what changed since it was saved, said if the replay diverges. */
  readonly divergenceCause?: string;
  /** How to replay a schedule, when not `race-hunt replay` (see `FailureOrigin`). */
  readonly replayCommandOf?: (schedule: string) => string;
}

/**
 * Explores one scenario and reports it. A violation found is saved to disk at once, before
 * shrinking or printing can go wrong, and saved again once shrunk. race-hunt's own failure
 * is this scenario's error (an internal one), and the caller goes on with the next scenario.
 */
export async function exploreOne(request: ExploreOneRequest, resolved: Resolved): Promise<ScenarioReport> {
  const { file, name, runs } = request;
  resolved.reporter.onScenarioStart?.({ file, name, budget: runs });
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
  const { file, name } = request;
  // Saving a failure can meet a full disk or a read-only directory: the user's to fix, not our bug.
  if (!isOwnFailure(error)) return errorReport(file, name, error);
  return internalErrorReport(InternalFailure.of(error), {
    file,
    name,
    doing,
    seed: request.seed,
    reproduce: request.reproduce,
    replayOptions: resolved.replayOptions,
  });
}

async function exploreAndReport(request: ExploreOneRequest, resolved: Resolved, doing: { now: string }): Promise<ScenarioReport> {
  const { reporter } = resolved;
  const { file, name, runner, runs } = request;
  const settings = settingsOf(resolved, request.mode === 'replay');
  let corpus: CorpusReport | undefined;
  if (request.mode === 'find' && resolved.corpus) {
    doing.now = 'replaying the saved failures of';
    const replayed = await replayCorpus(
      { file, name, runner, strategy: request.strategyName, ...(request.replayCommandOf === undefined ? {} : { replayCommandOf: request.replayCommandOf }) },
      resolved,
    );
    if (replayed.hit !== undefined) return replayed.hit;
    corpus = replayed.corpus;
    doing.now = 'exploring';
  }
  const result = await runner.explore({
    strategy: request.strategy,
    runs,
    settings,
    censusEveryRun: request.mode === 'replay',
    ...(request.deadline === undefined ? {} : { deadline: request.deadline }),
    ...(request.runShare === undefined ? {} : { share: request.runShare }),
    onProgress: (p) => reporter.onProgress?.({ file, name, runs: p.runs, budget: runs, interleavings: p.interleavings, elapsedMs: p.elapsedMs }),
  });
  let uncontrolled = result.uncontrolled;
  let shrink: ShrinkResult | undefined;
  let nondeterministic: Nondeterminism | undefined;
  let failureFile: string | undefined;
  let reportFiles: readonly string[] = [];
  const finding = result.finding;
  if (request.mode === 'find' && finding !== undefined && finding.result.status === 'violation') {
    const original = finding.result as Failure;
    const origin = {
      file,
      name,
      seed: request.seed,
      strategy: request.strategyName,
      foundBy: finding.strategy,
      run: finding.run,
      options: resolved.replayOptions,
      ...(request.replayCommandOf === undefined ? {} : { replayCommandOf: request.replayCommandOf }),
    };
    const first = failureRecord(origin, original);
    const store = findingStore(resolved);
    doing.now = 'saving a violation of';
    failureFile = store.saveFound(first);
    if (isShrinkable(original)) {
      // Before it is reported, its schedule runs once more: a failure that does not come back is
      // reported as nondeterministic, with both traces, and is not shrunk (shrinking needs it to).
      doing.now = 'confirming a violation of';
      const again = await runner.replay(original.schedule, { ...settings, keepTrace: true }, true);
      uncontrolled = mergeUncontrolled(uncontrolled, again.uncontrolled);
      if (!reproduces(original.violation, again.result)) {
        nondeterministic = { replay: { outcome: outcomeOf(again.result), trace: again.trace ?? again.result?.trace ?? [] }, likelyCause: likelyCause(uncontrolled) };
      }
    }
    // A run that hung or crashed is not shrunk: every schedule tried might hang for the whole run timeout.
    if (!resolved.shrink || !isShrinkable(original) || nondeterministic !== undefined) ({ failureFile, reportFiles } = store.saveFinal(first));
    else {
      reporter.onShrinkStart?.({ file, name, steps: original.steps, preemptions: original.preemptions });
      doing.now = failureFile === undefined ? 'shrinking a violation of' : `shrinking a violation (saved in ${failureFile}) of`;
      const shrinkStarted = Date.now();
      shrink = await runner.shrink({
        failure: original,
        settings,
        timeMs: resolved.shrinkTimeMs,
        onProgress: (shrinkRuns, best) => reporter.onShrinkProgress?.({ file, name, runs: shrinkRuns, steps: best.steps, preemptions: best.preemptions }),
      });
      shrink = { ...shrink, durationMs: Date.now() - shrinkStarted, budgetMs: resolved.shrinkTimeMs };
      const shrunk = failureRecord(origin, original, shrink);
      doing.now = 'saving a violation of';
      ({ failureFile, reportFiles } = store.saveFinal(shrunk));
    }
    // The confirming run counted the found schedule's awaits; a shrunk one's are counted too.
    const shown = shrink?.failure ?? original;
    if (shown !== original) {
      uncontrolled = mergeUncontrolled(uncontrolled, await censusRun(runner, shown.schedule, settings));
    }
  }
  doing.now = 'reporting';
  const report = scenarioReport(result, {
    file,
    name,
    strategy: request.strategyName,
    verdicts: result.verdicts,
    replayOptions: resolved.replayOptions,
    durationMs: result.durationMs,
    ...(shrink === undefined ? {} : { shrink }),
    ...(failureFile === undefined ? {} : { failureFile }),
    reportFiles,
    uncontrolled,
    ...(result.stopped === undefined ? {} : { stopped: result.stopped }),
    ...(request.divergenceCause === undefined ? {} : { divergenceCause: request.divergenceCause }),
    ...(nondeterministic === undefined ? {} : { nondeterministic }),
    ...(request.replayCommandOf === undefined ? {} : { replayCommandOf: request.replayCommandOf }),
  });
  return corpus === undefined ? report : { ...report, corpus };
}

/** Kinds whose schedules are re-run to shrink and count: not a run that hung or killed its worker. */
function isShrinkable(failure: Failure): boolean {
  return failure.violation.kind !== 'timeout' && failure.violation.kind !== 'crash';
}

/** Runs `schedule` once more as a census run (what it does is not reported: the run it replays is). */
async function censusRun(runner: ScenarioRunner, schedule: Schedule, settings: RunSettings): Promise<UncontrolledReport> {
  return (await runner.replay(schedule, settings, true)).uncontrolled;
}
