import { createRequire } from 'node:module';
import { relative } from 'node:path';
import type { ReplayOptions } from '../core/replay-command.js';
import { replayCommand } from '../core/replay-command.js';
import { encodeSchedule } from '../core/schedule.js';
import type { Failure, ShrinkResult } from '../core/shrink.js';
import { failureFilePath, writeFailureFile } from '../failures/failure-file.js';
import type { FailureRecord } from '../failures/failure-record.js';
import { writeBugReport } from '../failures/write-bug-report.js';

const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Where a failure came from. */
export interface FailureOrigin {
  readonly file: string;
  readonly name: string;
  readonly seed: number;
  readonly strategy: string;
  readonly foundBy: string;
  readonly run: number;
  readonly options: ReplayOptions;
}

/** The saved form of a failure, shrunk or not. `found` is the failure as found, or its summary from an earlier save. */
export function failureRecord(origin: FailureOrigin, found: Failure | FailureRecord['original'], shrink?: ShrinkResult): FailureRecord {
  const original =
    typeof found.schedule === 'string'
      ? (found as FailureRecord['original'])
      : { schedule: encodeSchedule((found as Failure).schedule), steps: found.steps, preemptions: found.preemptions };
  const shown = shrink?.failure ?? (found as Failure);
  const schedule = encodeSchedule(shown.schedule);
  const v = shown.violation;
  return {
    format: 'race-hunt-failure/1',
    raceHunt: version,
    node: process.version,
    createdAt: new Date().toISOString(),
    scenario: { file: origin.file, name: origin.name },
    exploration: { seed: origin.seed, strategy: origin.strategy, foundBy: origin.foundBy, run: origin.run },
    options: { maxSteps: origin.options.maxSteps, timers: origin.options.timers, instrument: [...origin.options.instrument] },
    violation: {
      kind: v.kind,
      message: v.message,
      ...(v.stack === undefined ? {} : { stack: v.stack }),
      ...(v.blocked === undefined ? {} : { blocked: v.blocked }),
    },
    schedule,
    steps: shown.steps,
    preemptions: shown.preemptions,
    trace: shown.trace,
    original,
    ...(shrink === undefined ? {} : { shrink: { minimal: shrink.minimal, cutShort: shrink.cutShort, runs: shrink.runs } }),
    replay: replayCommand(origin.file, origin.name, schedule, origin.options),
  };
}

/** Saves a failure under `.race-hunt/failures/` and returns its path relative to `cwd`. */
export function saveFailure(cwd: string, record: FailureRecord, path = failureFilePath(cwd, record)): string {
  writeFailureFile(path, record);
  return relative(cwd, path);
}

/** Saves a failure and, when asked, writes its bug report; returns the failure file and the report's files. */
export function saveFailureAndReport(
  cwd: string,
  record: FailureRecord,
  reportDir: string | undefined,
  path = failureFilePath(cwd, record),
): { readonly failureFile: string; readonly reportFiles: readonly string[] } {
  const failureFile = saveFailure(cwd, record, path);
  const reportFiles = reportDir === undefined ? [] : writeBugReport(record, failureFile, reportDir, cwd);
  return { failureFile, reportFiles };
}
