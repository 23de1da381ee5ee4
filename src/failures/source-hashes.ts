import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FailureRecord } from './failure-record.js';

/** The file of a trace location (`lib/a.ts:3:5` → `lib/a.ts`). */
function fileOf(location: string): string {
  return location.replace(/:\d+:\d+$/, '');
}

/** The files a failure names: the scenario's, then every one its trace and blocked tasks pass through. */
export function filesOf(record: Pick<FailureRecord, 'scenario' | 'trace' | 'violation'>): string[] {
  const files = new Set<string>([record.scenario.file]);
  for (const step of record.trace) if (step.location !== undefined) files.add(fileOf(step.location));
  for (const blocked of record.violation.blocked ?? []) {
    for (const location of [blocked.location, ...(blocked.via ?? [])]) if (location !== undefined) files.add(fileOf(location));
  }
  return [...files];
}

/** sha256 of a file's text, 16 hex digits; undefined when it cannot be read. */
function hashOf(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  } catch {
    return undefined;
  }
}

/**
 * The hashes of `files` (relative to `cwd`) as they are now; a file that cannot be read is
 * left out (a `node:` or virtual location, or one since deleted).
 */
export function sourceHashes(files: readonly string[], cwd: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const file of files) {
    const hash = hashOf(resolve(cwd, file));
    if (hash !== undefined) hashes[file] = hash;
  }
  return hashes;
}
