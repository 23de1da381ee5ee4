import { RaceHuntError } from '../core/errors.js';
import type { ExplorationResult } from '../core/explore.js';
import { isSaturated } from '../core/explore.js';
import type { ScenarioReport, Verification, ViolationReport } from '../core/report.js';
import type { ReplayOptions } from '../core/replay-command.js';
import { replayCommand } from '../core/replay-command.js';
import { encodeSchedule } from '../core/schedule.js';
import type { Failure, ShrinkResult } from '../core/shrink.js';
import type { SearchVerdict } from '../strategies/bounded-search.js';
import type { UncontrolledReport } from '../core/uncontrolled.js';
import { NOTHING_UNCONTROLLED } from '../core/uncontrolled.js';

/** A scenario that could not be loaded or run. */
export function errorReport(file: string, name: string, error: unknown): ScenarioReport {
  return {
    file,
    name,
    status: 'error',
    runs: 0,
    strategy: '',
    interleavings: 0,
    awaitPairs: 0,
    saturated: false,
    verification: [],
    uncontrolled: NOTHING_UNCONTROLLED,
    durationMs: 0,
    error: messageOf(error),
  };
}

/** One paragraph for the user: a known error's message, or an honest "this is our bug". */
export function messageOf(error: unknown): string {
  if (error instanceof RaceHuntError) return error.message;
  if (error instanceof Error) return `race-hunt failed unexpectedly: ${error.message}. Please report this with the scenario that caused it.`;
  return String(error);
}

/** What the report needs to know about one exploration beyond its result. */
export interface ReportContext {
  readonly file: string;
  readonly name: string;
  readonly strategy: string;
  readonly verdicts: readonly SearchVerdict[];
  readonly replayOptions: ReplayOptions;
  readonly durationMs: number;
  /** The shrunk failure, when shrinking ran. */
  readonly shrink?: ShrinkResult;
  /** Where the failure was saved. */
  readonly failureFile?: string;
  /** The bug report's files, when one was written. */
  readonly reportFiles?: readonly string[];
  /** What ran outside race-hunt's control. */
  readonly uncontrolled?: UncontrolledReport;
}

/** Turns an exploration into a scenario report; a setup/teardown failure or a divergence is an error. */
export function scenarioReport(result: ExplorationResult, context: ReportContext): ScenarioReport {
  const { file, name } = context;
  const base = {
    file,
    name,
    runs: result.runs,
    strategy: context.strategy,
    interleavings: result.interleavings,
    awaitPairs: result.awaitPairs,
    saturated: isSaturated(result.runs, result),
    verification: context.verdicts.map(
      (v): Verification => ({
        strategy: v.strategy,
        unit: v.unit,
        bound: v.bound,
        exhaustive: v.exhaustive,
        completedBound: v.completedBound,
        schedules: v.completedSchedules,
        ...(v.unbounded === true ? { unbounded: true as const } : {}),
      }),
    ),
    uncontrolled: context.uncontrolled ?? NOTHING_UNCONTROLLED,
    durationMs: Math.round(context.durationMs),
  };
  const finding = result.finding;
  if (finding === undefined) return { ...base, status: 'pass' };
  const outcome = finding.result;
  if (outcome.status === 'error') {
    const phase = outcome.error.phase;
    return {
      ...base,
      status: 'error',
      error: `${phase} of scenario "${name}" in ${file} failed: ${outcome.error.message}. Fix ${phase} so that it works on its own, then run again.`,
    };
  }
  if (outcome.status === 'diverged') {
    return {
      ...base,
      status: 'error',
      error: `the replay of "${name}" in ${file} diverged from the schedule: ${outcome.divergence.message}. The scenario is not deterministic (real I/O, or randomness race-hunt does not control), or the code changed since the schedule was recorded.`,
    };
  }
  const shown: Failure = context.shrink?.failure ?? (outcome as Failure);
  const schedule = encodeSchedule(shown.schedule);
  const violation = shown.violation;
  const shrink = context.shrink;
  const report: ViolationReport = {
    kind: violation.kind,
    message: violation.message,
    schedule,
    trace: shown.trace ?? [],
    steps: shown.steps,
    preemptions: shown.preemptions,
    run: finding.run,
    foundBy: finding.strategy,
    replay: replayCommand(file, name, schedule, context.replayOptions),
    ...(violation.stack === undefined ? {} : { stack: violation.stack }),
    ...(violation.blocked === undefined ? {} : { blocked: violation.blocked }),
    ...(shrink === undefined
      ? {}
      : {
          shrunkFrom: { steps: shrink.original.steps, preemptions: shrink.original.preemptions, schedule: encodeSchedule(outcome.schedule) },
          minimal: shrink.minimal,
        }),
    ...(context.failureFile === undefined ? {} : { failureFile: context.failureFile }),
    ...(context.reportFiles === undefined || context.reportFiles.length === 0 ? {} : { reportFiles: context.reportFiles }),
  };
  return { ...base, status: 'fail', violation: report };
}
