import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FAILURES_DIR, slugOf, tryReadFailureFile } from './failure-file.js';
import type { FailureRecord } from './failure-record.js';

/** A saved failure and where it lies. */
export interface CorpusEntry {
  readonly path: string;
  readonly record: FailureRecord;
}

/** A file named for the scenario that cannot be used: corrupt, cut short, or of another format. */
export interface UnreadableEntry {
  readonly path: string;
  readonly problem: string;
}

/** The saved failures of one scenario, and the files named for it that could not be used. */
export interface Corpus {
  readonly entries: readonly CorpusEntry[];
  readonly unreadable: readonly UnreadableEntry[];
}

/**
 * The saved failures of one scenario (the corpus a CI gate replays first), oldest name
 * first for a stable order. Only files named for the scenario (`failureFilePath`: its slug,
 * then a hash) are read: a corpus of thousands of failures of other scenarios costs a
 * directory listing, not thousands of parses. A file so named that cannot be used is listed
 * in `unreadable` (the caller warns and goes on); a usable one of another scenario with the
 * same slug is not this scenario's.
 */
export function corpusFor(cwd: string, file: string, name: string): Corpus {
  const dir = resolve(cwd, FAILURES_DIR);
  const prefix = `${slugOf(name)}-`;
  const named = (entry: string): boolean =>
    entry.startsWith(prefix) && entry.endsWith('.json') && /^[0-9a-f]{8}\.json$/.test(entry.slice(prefix.length));
  let names: string[];
  try {
    names = readdirSync(dir).filter(named).sort();
  } catch {
    return { entries: [], unreadable: [] };
  }
  const entries: CorpusEntry[] = [];
  const unreadable: UnreadableEntry[] = [];
  for (const entry of names) {
    const path = join(dir, entry);
    const read = tryReadFailureFile(path);
    if ('missing' in read) continue; // removed since the listing
    if (!('record' in read)) unreadable.push({ path, problem: read.problem });
    else if (read.record.scenario.file === file && read.record.scenario.name === name) entries.push({ path, record: read.record });
  }
  return { entries, unreadable };
}
