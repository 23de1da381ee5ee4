import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import type { ReplayOptions } from '../core/replay-command.js';
import { replayCommand } from '../core/replay-command.js';
import { encodeSchedule } from '../core/schedule.js';
import type { Failure, ShrinkResult } from '../search/shrink.js';
import { mergeSighting } from '../failures/bug-key.js';
import { likelyCause } from '../failures/divergence-cause.js';
import { failureFilePath, tryReadFailureFile, writeAtomically, writeFailureFile } from '../failures/failure-file.js';
import type { FailureRecord } from '../failures/failure-record.js';
import { filesOf, sourceHashes } from '../failures/source-hashes.js';
import { writeBugReport } from './write-bug-report.js';
import type { Resolved } from './options.js';

/** This race-hunt's version, as failure files record it. */
export const RACE_HUNT_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Where a failure came from. */
export interface FailureOrigin {
  readonly file: string;
  readonly name: string;
  readonly seed: number;
  readonly strategy: string;
  readonly foundBy: string;
  readonly run: number;
  readonly options: ReplayOptions;
  /** How to replay a schedule of this scenario, when not `race-hunt replay` (a scenario inside a vitest test file). */
  readonly replayCommandOf?: (schedule: string) => string;
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
    raceHunt: RACE_HUNT_VERSION,
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
    ...(shown.input === undefined ? {} : { input: shown.input.shown }),
    steps: shown.steps,
    preemptions: shown.preemptions,
    trace: shown.trace,
    original,
    ...(shrink === undefined
      ? {}
      : {
          shrink: {
            minimal: shrink.minimal,
            cutShort: shrink.cutShort,
            runs: shrink.runs,
            minimalSteps: shrink.minimalSteps,
            ...(shrink.durationMs === undefined ? {} : { durationMs: Math.round(shrink.durationMs) }),
            ...(shrink.budgetMs === undefined ? {} : { budgetMs: Math.round(shrink.budgetMs) }),
          },
        }),
    replay: origin.replayCommandOf?.(schedule) ?? replayCommand(origin.file, origin.name, schedule, origin.options),
  };
}

/**
 * What changed since `record` was saved, as far as race-hunt can tell, for a replay with
 * `options`: "likely cause: lib/a.ts changed since it was saved", or what is left when
 * nothing recorded did. Said when a replay of it no longer follows its schedule.
 */
export function changesSince(record: FailureRecord, options: ReplayOptions, cwd: string): string {
  const now = { options, sources: sourceHashes(Object.keys(record.sources ?? {}), cwd), raceHunt: RACE_HUNT_VERSION, node: process.version };
  return likelyCause(record, now);
}

/** A record with the hashes of the files it names as they are now (see `source-hashes.ts`). */
export function withSources(record: FailureRecord, cwd: string): FailureRecord {
  return { ...record, sources: sourceHashes(filesOf(record), cwd) };
}

/** Saves a failure to `path` as it is (no merging) and returns its path relative to `cwd`. */
export function saveFailure(cwd: string, record: FailureRecord, path: string): string {
  writeFailureFile(path, record);
  return relative(cwd, path);
}

/** Where one finding was saved (relative to `cwd`; none with `--no-corpus`) and the bug report's files. */
export interface SavedFinding {
  readonly failureFile?: string;
  readonly reportFiles: readonly string[];
}

/** Saves one finding: at once as found, then again once final (shrunk, or as found with `--no-shrink`). */
export interface FindingStore {
  /** Saves the failure as found, before anything else can go wrong; returns its file, or undefined with `--no-corpus`. */
  saveFound(record: FailureRecord): string | undefined;
  /** Saves the final record, and writes its bug report when `--report` asks for one. */
  saveFinal(record: FailureRecord): SavedFinding;
}

/**
 * The store of one finding. A failure goes to the file of its bug (`bug-key.ts`): when that
 * bug was saved before, the newer record replaces it, keeping when it was first seen and
 * counting sightings. Shrinking keeps a failure's kind and usually its message, so both saves
 * usually go to one file; when the shrunk failure is another bug by the key, the file of the
 * first save is put back as it was. With `--no-corpus` nothing is saved; the bug report (when
 * asked for) is still written, named as the file would have been.
 */
export function findingStore(resolved: Pick<Resolved, 'cwd' | 'corpus' | 'reportDir'>): FindingStore {
  const { cwd, corpus, reportDir } = resolved;
  let found: { readonly path: string; readonly previous: FailureRecord | undefined; readonly text: string | undefined } | undefined;
  const report = (record: FailureRecord, path: string): readonly string[] => (reportDir === undefined ? [] : writeBugReport(record, path, reportDir, cwd));
  return {
    saveFound(record) {
      if (!corpus) return undefined;
      const path = failureFilePath(cwd, record);
      found = { path, previous: previousRecord(path), text: textOf(path) };
      return saveFailure(cwd, mergeSighting(withSources(record, cwd), found.previous), path);
    },
    saveFinal(record) {
      const path = failureFilePath(cwd, record);
      if (!corpus) return { reportFiles: report(record, path) };
      let previous: FailureRecord | undefined;
      if (found?.path === path) previous = found.previous;
      else {
        if (found !== undefined) putBack(found.path, found.text);
        previous = previousRecord(path);
      }
      const merged = mergeSighting(withSources(record, cwd), previous);
      const failureFile = saveFailure(cwd, merged, path);
      return { failureFile, reportFiles: report(merged, path) };
    },
  };
}

/** The usable record at `path`, if any (a corrupt file there is replaced: it holds nothing to keep). */
function previousRecord(path: string): FailureRecord | undefined {
  const read = tryReadFailureFile(path);
  return 'record' in read ? read.record : undefined;
}

function textOf(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Restores a file to `text`, or removes it when there was none. */
function putBack(path: string, text: string | undefined): void {
  if (text === undefined) rmSync(path, { force: true });
  else writeAtomically(path, text);
}
