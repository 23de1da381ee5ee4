import { join, relative, resolve } from 'node:path';
import { RaceHuntError } from '../core/errors.js';
import type { RunReport } from '../core/report.js';
import type { Failure } from '../search/shrink.js';
import { readFailureFile } from '../failures/failure-file.js';
import type { FailureRecord } from '../failures/failure-record.js';
import { writeBugReport } from './write-bug-report.js';
import { registerLoader } from '../instrument/register-loader.js';
import { exploreScenario } from './explore-scenario.js';
import { openRuntimeSession } from '../runtime/runtime-session.js';
import { shrinkScenarioFailure } from './shrink-scenario.js';
import { replayStrategy } from '../strategies/replay.js';
import { changesSince, failureRecord, saveFailure, withSources } from './failure-saving.js';
import { loadOneScenario } from './load-one.js';
import type { CommonOptions, Resolved, ShrinkOptions } from './options.js';
import { resolveCommon, settingsOf } from './options.js';
import { readToken, replayOnce } from './replay.js';
import { errorReport, scenarioReport } from './scenario-report.js';
import { UncontrolledLog } from '../runtime/uncontrolled.js';

/** Options of commands that take a failure file: the file's own options apply unless given here. */
type FailureFileOptions = Pick<CommonOptions, 'cwd' | 'reporter'>;

function resolveFor(record: FailureRecord, options: FailureFileOptions & ShrinkOptions): Resolved {
  return resolveCommon({
    maxSteps: record.options.maxSteps,
    timers: record.options.timers,
    instrument: record.options.instrument,
    ...options,
  });
}

/** Replays a saved failure (`.race-hunt/failures/*.json`): the same as `replay` with its file, scenario and schedule. */
export async function replayFailure(failureFile: string, options: FailureFileOptions & { readonly runTimeoutMs?: number } = {}): Promise<RunReport> {
  const cwd = options.cwd ?? process.cwd();
  const record = readFailureFile(resolve(cwd, failureFile), failureFile);
  const { runTimeoutMs, ...common } = options;
  const resolved = resolveFor(record, common);
  const schedule = readToken(record.schedule);
  resolved.reporter.onRunStart?.({ seed: schedule.seed, mode: 'replay' });
  const isolation = runTimeoutMs === undefined ? undefined : { runTimeoutMs };
  const cause = changesSince(record, resolved.replayOptions, cwd);
  const { report, warnings } = await replayOnce(record.scenario.file, record.scenario.name, schedule, resolved, isolation, cause);
  const runReport: RunReport = { seed: schedule.seed, scenarios: [report], ...(warnings.length === 0 ? {} : { warnings }) };
  resolved.reporter.onRunEnd?.(runReport);
  return runReport;
}

/**
 * Shrinks a saved failure further (with more time, say) and saves the result back to the
 * same file. Its schedule must still fail the same way, or the report is an error.
 */
export async function shrinkFailureFile(failureFile: string, options: FailureFileOptions & ShrinkOptions = {}): Promise<RunReport> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, failureFile);
  const record = readFailureFile(path, failureFile);
  if (record.violation.kind === 'timeout' || record.violation.kind === 'crash') {
    // Every schedule tried would run into the hang (or the crash) again, each costing a run timeout.
    throw new RaceHuntError(
      'BAD_FAILURE_FILE',
      `${failureFile} is a ${record.violation.kind}: a run that never finished is not shrunk, as every schedule tried might hang again. Replay it (race-hunt replay ${failureFile}) to see its trace up to the step that did not finish.`,
    );
  }
  const resolved = resolveFor(record, options);
  const schedule = readToken(record.schedule);
  const { reporter } = resolved;
  reporter.onRunStart?.({ seed: schedule.seed, mode: 'shrink' });
  registerLoader(resolved.replayOptions.instrument, cwd);
  const close = openRuntimeSession();
  let report;
  try {
    const { shown, scenario } = await loadOneScenario(record.scenario.file, record.scenario.name, cwd);
    const name = scenario.name;
    reporter.onScenarioStart?.({ file: shown, name, budget: 1 });
    const settings = settingsOf(resolved, true);
    const uncontrolled = new UncontrolledLog(cwd);
    const replayed = await exploreScenario({ scenario, strategy: replayStrategy(schedule), runs: 1, settings, uncontrolled });
    const result = replayed.finding?.result;
    if (result === undefined || result.status !== 'violation' || result.violation.kind !== record.violation.kind) {
      throw new RaceHuntError(
        'BAD_FAILURE_FILE',
        `${failureFile} no longer fails as saved (${record.violation.kind}: ${record.violation.message}); ${result === undefined ? 'its schedule now passes' : result.status === 'diverged' ? `its schedule diverged: ${result.divergence.message}; ${changesSince(record, resolved.replayOptions, cwd)}` : 'it fails differently'}. Run the scenario again to find a current failure.`,
      );
    }
    reporter.onShrinkStart?.({ file: shown, name, steps: result.steps, preemptions: result.preemptions });
    const shrinkStarted = Date.now();
    const shrunk = await shrinkScenarioFailure({
      scenario,
      failure: result as Failure,
      settings,
      timeMs: resolved.shrinkTimeMs,
      onProgress: (runs, best) => reporter.onShrinkProgress?.({ file: shown, name, runs, steps: best.steps, preemptions: best.preemptions }),
    });
    const shrink = { ...shrunk, durationMs: Date.now() - shrinkStarted, budgetMs: resolved.shrinkTimeMs };
    const overall = { ...shrink, original: { steps: record.original.steps, preemptions: record.original.preemptions } };
    const origin = { file: shown, name, ...record.exploration, options: resolved.replayOptions };
    const { createdAt, seen, lastSeen } = record;
    const reshrunk = { ...failureRecord(origin, record.original, overall), createdAt, ...(seen === undefined ? {} : { seen }), ...(lastSeen === undefined ? {} : { lastSeen }) };
    saveFailure(cwd, withSources(reshrunk, cwd), path);
    report = scenarioReport(
      { runs: 1, interleavings: 1, awaitPairs: 0, lastNewAt: 1, exhausted: false, finding: { run: record.exploration.run, strategy: record.exploration.foundBy, result } },
      {
        file: shown,
        name,
        strategy: 'shrink',
        verdicts: [],
        replayOptions: resolved.replayOptions,
        durationMs: replayed.durationMs,
        shrink: overall,
        failureFile: relative(cwd, path),
        uncontrolled: uncontrolled.report(),
      },
    );
  } catch (error) {
    report = errorReport(record.scenario.file, record.scenario.name, error);
  } finally {
    close();
  }
  reporter.onScenarioEnd?.(report);
  const runReport: RunReport = { seed: schedule.seed, scenarios: [report] };
  reporter.onRunEnd?.(runReport);
  return runReport;
}

/** Where `race-hunt report` writes when no directory is given. */
export const DEFAULT_REPORT_DIR = join('.race-hunt', 'reports');

/**
 * Writes the bug report (Markdown, SVG swimlane, HTML) of a saved failure into `outDir`
 * and returns the files written, relative to `cwd`.
 */
export function reportFailure(failureFile: string, options: { readonly cwd?: string; readonly outDir?: string } = {}): string[] {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, failureFile);
  return writeBugReport(readFailureFile(path, failureFile), path, options.outDir ?? DEFAULT_REPORT_DIR, cwd);
}
