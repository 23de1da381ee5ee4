import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RaceHuntError } from '../core/errors.js';
import type { InternalFailure } from '../core/internal-failure.js';
import type { ExplorationResult } from '../core/explore.js';
import { isSaturated } from '../core/explore.js';
import type { ScenarioReport, Verification, ViolationReport } from '../core/report.js';
import type { ReplayOptions } from '../core/replay-command.js';
import { failureReplayCommand, LONG_TOKEN, replayCommand } from '../core/replay-command.js';
import { encodeSchedule } from '../core/schedule.js';
import type { Failure, ShrinkResult } from '../search/shrink.js';
import type { SearchVerdict } from '../strategies/bounded-search.js';
import type { UncontrolledReport } from '../core/uncontrolled.js';
import type { Nondeterminism } from '../core/nondeterminism.js';
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
    ...(isOwnFailure(error) ? { internal: true as const } : {}),
  };
}

/** What the report of race-hunt's own failure says besides the failure: where it was, and how to get there again. */
export interface InternalFailureWhere {
  readonly file: string;
  readonly name: string;
  /** What race-hunt was doing: "exploring", "shrinking a violation of", … */
  readonly doing: string;
  /** The exploration's seed. */
  readonly seed: number;
  /** A command that does it again (the `run` or `replay` the user gave, for this scenario alone). */
  readonly reproduce: string;
  readonly replayOptions: ReplayOptions;
}

/**
 * A scenario race-hunt failed on: its own bug, said to be so, with what a bug report needs
 * to reproduce it. Never a finding about the user's code.
 */
export function internalErrorReport(failure: InternalFailure, where: InternalFailureWhere): ScenarioReport {
  const { schedule, strategy, run } = failure.context;
  const facts = [`seed ${where.seed}`, ...(run === undefined ? [] : [`run ${run}`]), ...(strategy === undefined ? [] : [`strategy ${strategy}`])];
  const token = schedule === undefined ? undefined : encodeSchedule(schedule);
  const frame = ownFrameOf(failure.cause);
  const error =
    `internal error: race-hunt failed while ${where.doing} scenario "${where.name}" in ${where.file} (${facts.join(', ')}): ` +
    `${failure.message}${frame === undefined ? '' : ` (at ${frame})`}. This is a bug in race-hunt, not in your code: please report it with this message. ` +
    `To reproduce it: ${where.reproduce}` +
    (token === undefined ? '.' : ` (the execution that failed had made the schedule ${token} so far: ${replayCommand(where.file, where.name, token, where.replayOptions)}).`);
  return { ...errorReport(where.file, where.name, failure), error, internal: true };
}

/** The first frame of race-hunt's own code in `error`'s stack, relative to race-hunt's directory. */
function ownFrameOf(error: unknown): string | undefined {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  for (const line of stack.split('\n')) {
    const at = /^\s+at (?:.*\()?(?:file:\/\/)?([^()\s]+:\d+:\d+)\)?$/.exec(line);
    if (at !== null && at[1]!.startsWith(PACKAGE_ROOT + '/')) return relative(PACKAGE_ROOT, at[1]!);
  }
  return undefined;
}

/** race-hunt's package directory (this file is dist/api/ or src/api/ in it). */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One paragraph for the user: a known error's message, the system's, or an honest "this is our bug". */
export function messageOf(error: unknown): string {
  if (error instanceof RaceHuntError) return error.message;
  if (isSystemError(error)) return `${(error as Error).message}. Check that race-hunt can read and write there, then run again.`;
  const what = error instanceof Error ? error.message : String(error);
  return `internal error: race-hunt failed: ${what}. This is a bug in race-hunt, not in your code: please report it with this message and the command you ran.`;
}

/** Neither a problem race-hunt names (bad input) nor one the system reports: race-hunt's own bug. */
export function isOwnFailure(error: unknown): boolean {
  return !(error instanceof RaceHuntError) && !isSystemError(error);
}

/** An error from the operating system (a file that cannot be read or written), with its errno code. */
function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
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
  readonly stopped?: 'time' | 'interrupt';
  /** Replaying a saved failure: what changed since it was saved ("likely cause: …"), said if the replay diverges. */
  readonly divergenceCause?: string;
  /** The found failure's schedule, run again, did not fail the same way. */
  readonly nondeterministic?: Nondeterminism;
  /** How to replay a schedule, when not `race-hunt replay` (see `FailureOrigin`). */
  readonly replayCommandOf?: (schedule: string) => string;
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
        ...(v.part === undefined ? {} : { part: { index: v.part.index + 1, count: v.part.count } }),
        ...(v.input === undefined ? {} : { input: v.input }),
      }),
    ),
    uncontrolled: context.uncontrolled ?? NOTHING_UNCONTROLLED,
    durationMs: Math.round(context.durationMs),
    ...(context.stopped === undefined ? {} : { stopped: context.stopped }),
  };
  const finding = result.finding;
  if (finding === undefined) return { ...base, status: 'pass' };
  const outcome = finding.result;
  if (outcome.status === 'error' && outcome.error.phase === 'always') {
    return {
      ...base,
      status: 'error',
      error: `the always check of scenario "${name}" in ${file} returned a promise: always runs after every step, so it must be synchronous (its result was not checked). Make always synchronous, or move the async check into invariant, which may be async and runs once every task has settled.`,
    };
  }
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
      error:
        `the replay of "${name}" in ${file} diverged from the schedule: ${outcome.divergence.message}. ` +
        (context.divergenceCause === undefined
          ? "The scenario is not deterministic (real I/O, or randomness race-hunt does not control), the code changed since the schedule was recorded, or the replay's options are not the run's: a replay command as reported carries the run's --max-steps, --timers and --instrument."
          : `${context.divergenceCause.charAt(0).toUpperCase()}${context.divergenceCause.slice(1)}.`),
    };
  }
  const shown: Failure = context.shrink?.failure ?? (outcome as Failure);
  const schedule = encodeSchedule(shown.schedule);
  const violation = shown.violation;
  const shrink = context.shrink;
  const report: ViolationReport = {
    kind: violation.kind,
    message: violation.message,
    ...(shown.input === undefined ? {} : { input: shown.input }),
    schedule,
    trace: shown.trace ?? [],
    steps: shown.steps,
    preemptions: shown.preemptions,
    run: finding.run,
    foundBy: finding.strategy,
    // A long livelock's token runs to kilobytes: then the saved failure is what to replay.
    replay:
      context.replayCommandOf?.(schedule) ??
      (schedule.length > LONG_TOKEN && context.failureFile !== undefined ? failureReplayCommand(context.failureFile) : replayCommand(file, name, schedule, context.replayOptions)),
    ...(violation.stack === undefined ? {} : { stack: violation.stack }),
    ...(violation.blocked === undefined ? {} : { blocked: violation.blocked }),
    ...(shrink === undefined
      ? {}
      : {
          shrunkFrom: {
            steps: shrink.original.steps,
            preemptions: shrink.original.preemptions,
            schedule: encodeSchedule(outcome.schedule),
            ...(outcome.input === undefined ? {} : { input: outcome.input.shown }),
          },
          minimal: shrink.minimal,
          shrinking: {
            minimalSteps: shrink.minimalSteps,
            cutShort: shrink.cutShort,
            runs: shrink.runs,
            ...(shrink.durationMs === undefined ? {} : { durationMs: Math.round(shrink.durationMs) }),
            ...(shrink.budgetMs === undefined ? {} : { budgetMs: shrink.budgetMs }),
          },
        }),
    ...(context.failureFile === undefined ? {} : { failureFile: context.failureFile }),
    ...(context.nondeterministic === undefined ? {} : { nondeterministic: context.nondeterministic }),
    ...(context.reportFiles === undefined || context.reportFiles.length === 0 ? {} : { reportFiles: context.reportFiles }),
  };
  return { ...base, status: 'fail', violation: report };
}
