import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { RaceHuntError } from '../core/errors.js';
import { bugFileName } from './bug-key.js';
import { checkFailureRecord, FAILURE_FORMAT } from './check-record.js';
import type { FailureRecord } from './failure-record.js';

export { slugOf } from './bug-key.js';

/** Where failures are saved, relative to the working directory. */
export const FAILURES_DIR = join('.race-hunt', 'failures');

/** The failure file's path: one per bug (`bug-key.ts`), so finding it again, or shrinking it, rewrites it. */
export function failureFilePath(cwd: string, record: Pick<FailureRecord, 'scenario' | 'options' | 'violation'>): string {
  return join(resolve(cwd, FAILURES_DIR), bugFileName(record));
}

/**
 * Writes `text` to `path` atomically (a temporary file, then a rename), so a kill at any
 * moment leaves either the previous version or the new one, never half of one. The temporary
 * file is the process's and thread's own (explorations may run in worker threads).
 */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}-${threadId}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Writes a failure atomically (see {@link writeAtomically}). */
export function writeFailureFile(path: string, record: FailureRecord): void {
  writeAtomically(path, `${JSON.stringify(record, null, 2)}\n`);
}

/** A failure file read, or why it cannot be used (`missing`: there is no such file). */
export type FailureFileRead = { readonly record: FailureRecord } | { readonly problem: string; readonly missing?: true };

/** Reads and checks a failure file; never throws. */
export function tryReadFailureFile(path: string): FailureFileRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { problem: missing ? 'it does not exist' : `it cannot be read (${(error as Error).message})`, ...(missing ? { missing: true as const } : {}) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'it is not valid JSON' };
  }
  return checkFailureRecord(value);
}

/**
 * Reads a failure file; a missing or unusable one is a {@link RaceHuntError} that names the
 * file (as `shown`, the path the user gave) and the problem.
 */
export function readFailureFile(path: string, shown = path): FailureRecord {
  const read = tryReadFailureFile(path);
  if ('record' in read) return read.record;
  if (read.missing === true) {
    throw new RaceHuntError('FILE_NOT_FOUND', `${shown} does not exist. Failure files are saved under ${FAILURES_DIR}/.`);
  }
  throw new RaceHuntError('BAD_FAILURE_FILE', `${shown} is not a usable race-hunt failure file (${FAILURE_FORMAT}): ${read.problem}. Use a file race-hunt saved under ${FAILURES_DIR}/, or run the scenario again to save a current one.`);
}
