import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readFailureFile, FAILURES_DIR, slugOf } from './failure-file.js';
import type { FailureRecord } from './failure-record.js';

/** A saved failure and where it lies. */
export interface CorpusEntry {
  readonly path: string;
  readonly record: FailureRecord;
}

/**
 * The saved failures of one scenario (the corpus a CI gate replays first), oldest name
 * first for a stable order. Unreadable or foreign files are skipped: the corpus is a
 * cache of findings, not input the user wrote. Only files named for the scenario
 * (`failureFilePath`: its slug, then a hash) are read: a corpus of thousands of failures
 * of other scenarios costs a directory listing, not thousands of parses.
 */
export function corpusFor(cwd: string, file: string, name: string): CorpusEntry[] {
  const dir = resolve(cwd, FAILURES_DIR);
  const prefix = `${slugOf(name)}-`;
  const named = (entry: string): boolean =>
    entry.startsWith(prefix) && entry.endsWith('.json') && /^[0-9a-f]{8}\.json$/.test(entry.slice(prefix.length));
  let names: string[];
  try {
    names = readdirSync(dir).filter(named).sort();
  } catch {
    return [];
  }
  const entries: CorpusEntry[] = [];
  for (const entry of names) {
    const path = join(dir, entry);
    try {
      const record = readFailureFile(path);
      if (record.scenario.file === file && record.scenario.name === name) entries.push({ path, record });
    } catch {
      // not a failure file of ours: skip it
    }
  }
  return entries;
}
