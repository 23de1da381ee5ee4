import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findingStore } from '../../src/api/failure-saving.js';
import { failureFilePath, FAILURES_DIR, readFailureFile, writeFailureFile } from '../../src/failures/failure-file.js';
import type { FailureRecord } from '../../src/failures/failure-record.js';
import { failureRecord } from '../support/records.js';

// Where one finding is saved: at once as found, then once shrunk, to the file of its bug.
let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'rh-store-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const files = (): string[] => (existsSync(join(cwd, FAILURES_DIR)) ? readdirSync(join(cwd, FAILURES_DIR)).sort() : []);
const found = failureRecord({ createdAt: '2025-05-01T00:00:00.000Z', shrink: undefined });
const shrunk = failureRecord({ createdAt: '2025-05-01T00:00:01.000Z', steps: 2 });
const otherBug = failureRecord({ createdAt: '2025-05-01T00:00:01.000Z', violation: { kind: 'invariant', message: 'balance is 0, expected 2' } });

describe('saving a finding', () => {
  it('found and shrunk: one file, the shrunk record, counted as one sighting', () => {
    const earlier: FailureRecord = { ...found, createdAt: '2025-01-01T00:00:00.000Z', seen: 2, lastSeen: '2025-02-01T00:00:00.000Z' };
    writeFailureFile(failureFilePath(cwd, earlier), earlier);
    const store = findingStore({ cwd, corpus: true });
    const first = store.saveFound(found);
    expect(first).toMatch(/^\.race-hunt\/failures\/bank-two-credits-more-[0-9a-f]{8}\.json$/);
    expect(readFailureFile(join(cwd, first!))).toMatchObject({ steps: found.steps, seen: 3, createdAt: earlier.createdAt });
    const { failureFile, reportFiles } = store.saveFinal(shrunk);
    expect(failureFile).toBe(first);
    expect(reportFiles).toEqual([]);
    expect(readFailureFile(join(cwd, failureFile!))).toMatchObject({ steps: 2, seen: 3, createdAt: earlier.createdAt, lastSeen: shrunk.createdAt });
    expect(files()).toHaveLength(1);
  });

  it('records a hash of each file the failure names, as it is now', () => {
    const store = findingStore({ cwd, corpus: true });
    const saved = readFailureFile(join(cwd, store.saveFound(found)!));
    // The fixture's files do not exist here: nothing to hash, and no error.
    expect(saved.sources).toEqual({});
  });

  it('shrunk into another bug by the key: the first save is undone, the other bug saved', () => {
    const store = findingStore({ cwd, corpus: true });
    const first = store.saveFound(found)!;
    const { failureFile } = store.saveFinal(otherBug);
    expect(failureFile).not.toBe(first);
    expect(files()).toEqual([failureFile!.replace(`${FAILURES_DIR}/`, '')]);
  });

  it('… and a file that was there before the first save is put back as it was', () => {
    const earlier: FailureRecord = { ...found, createdAt: '2025-01-01T00:00:00.000Z' };
    const path = failureFilePath(cwd, earlier);
    writeFailureFile(path, earlier);
    const text = readFileSync(path, 'utf8');
    const store = findingStore({ cwd, corpus: true });
    store.saveFound(found);
    expect(readFileSync(path, 'utf8')).not.toBe(text);
    store.saveFinal(otherBug);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(files()).toHaveLength(2);
  });

  it('with --no-corpus: nothing saved; a bug report is still written, named as the file would be', () => {
    const store = findingStore({ cwd, corpus: false, reportDir: 'reports' });
    expect(store.saveFound(found)).toBeUndefined();
    const { failureFile, reportFiles } = store.saveFinal(shrunk);
    expect(failureFile).toBeUndefined();
    expect(files()).toEqual([]);
    const name = failureFilePath(cwd, shrunk).split('/').pop()!.replace(/\.json$/, '');
    expect(reportFiles).toEqual([`reports/${name}.md`, `reports/${name}.svg`, `reports/${name}.html`]);
  });
});
