import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RaceHuntError } from '../core/errors.js';
import type { FailureRecord } from './failure-record.js';

/** Where failures are saved, relative to the working directory. */
export const FAILURES_DIR = join('.race-hunt', 'failures');

/** `lost-update-two-credits`: a file-name-safe form of a scenario name. */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug === '' ? 'scenario' : slug;
}

/** The failure file's path: one per scenario and original schedule, so a rewrite (after shrinking) replaces it. */
export function failureFilePath(cwd: string, record: Pick<FailureRecord, 'scenario' | 'original'>): string {
  const hash = createHash('sha256')
    .update(`${record.scenario.file}\0${record.scenario.name}\0${record.original.schedule}`)
    .digest('hex')
    .slice(0, 8);
  return join(resolve(cwd, FAILURES_DIR), `${slugOf(record.scenario.name)}-${hash}.json`);
}

/**
 * Writes a failure atomically (a temporary file, then a rename), so a kill at any moment
 * leaves either the previous version or the new one, never half of one.
 */
export function writeFailureFile(path: string, record: FailureRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Reads a failure file; a missing or malformed one is a {@link RaceHuntError} that names the file. */
export function readFailureFile(path: string): FailureRecord {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new RaceHuntError('FILE_NOT_FOUND', `${path} does not exist or cannot be read. Failure files are saved under ${FAILURES_DIR}/.`);
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    throw new RaceHuntError('BAD_FAILURE_FILE', `${path} is not valid JSON. Use a file race-hunt saved under ${FAILURES_DIR}/.`);
  }
  const r = record as Partial<FailureRecord>;
  if (r.format !== 'race-hunt-failure/1' || typeof r.schedule !== 'string' || typeof r.scenario?.file !== 'string' || typeof r.scenario.name !== 'string' || r.options === undefined) {
    throw new RaceHuntError('BAD_FAILURE_FILE', `${path} is not a race-hunt failure file (format race-hunt-failure/1). Use a file race-hunt saved under ${FAILURES_DIR}/.`);
  }
  return r as FailureRecord;
}
