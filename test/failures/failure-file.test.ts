import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RaceHuntError } from '../../src/core/errors.js';
import { corpusFor } from '../../src/failures/corpus.js';
import { failureFilePath, FAILURES_DIR, readFailureFile, slugOf, writeFailureFile } from '../../src/failures/failure-file.js';
import type { FailureRecord } from '../../src/failures/failure-record.js';
import { failureRecord } from '../support/records.js';

const dir = mkdtempSync(join(tmpdir(), 'rh-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): RaceHuntError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RaceHuntError);
    return error as RaceHuntError;
  }
  throw new Error('expected a RaceHuntError');
}

describe('failure files', () => {
  it('slugs scenario names into safe file names', () => {
    expect(slugOf('Lost update: two concurrent credits!')).toBe('lost-update-two-concurrent-credits');
    expect(slugOf('   ')).toBe('scenario');
    expect(slugOf('ünïcødé')).toBe('n-c-d');
    expect(slugOf('x'.repeat(100))).toHaveLength(60);
  });

  it('names one file per bug, under .race-hunt/failures: the schedules do not name it', () => {
    const record = failureRecord();
    const path = failureFilePath(dir, record);
    expect(path).toMatch(new RegExp(`^${dir}/${FAILURES_DIR}/bank-two-credits-more-[0-9a-f]{8}\\.json$`));
    // Shrinking, or finding it again from another seed, changes the schedules: the same file.
    const reshrunk: FailureRecord = { ...record, schedule: 'rh1.KgA', steps: 2, original: { ...record.original, schedule: 'rh1.KgEBAA' } };
    expect(failureFilePath(dir, reshrunk)).toBe(path);
    expect(failureFilePath(dir, { ...record, scenario: { ...record.scenario, file: 'other.ts' } })).not.toBe(path);
  });

  it('writes atomically and reads back what it wrote', () => {
    const record = failureRecord();
    const path = failureFilePath(dir, record);
    writeFailureFile(path, record);
    expect(readFailureFile(path)).toEqual(record);
    expect(readdirSync(join(dir, FAILURES_DIR)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    writeFailureFile(path, { ...record, steps: 2 });
    expect(readFailureFile(path).steps).toBe(2);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('rejects missing, malformed and foreign files with a message naming the file', () => {
    const missing = thrown(() => readFailureFile(join(dir, 'nope.json')));
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.message).toContain('nope.json does not exist');
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    const bad = thrown(() => readFailureFile(join(dir, 'bad.json')));
    expect(bad.code).toBe('BAD_FAILURE_FILE');
    expect(bad.message).toContain('bad.json is not a usable race-hunt failure file (race-hunt-failure/1): it is not valid JSON.');
    writeFileSync(join(dir, 'foreign.json'), JSON.stringify({ format: 'something-else/1' }));
    expect(thrown(() => readFailureFile(join(dir, 'foreign.json'))).message).toContain('foreign.json is not a usable race-hunt failure file (race-hunt-failure/1): format is "something-else/1", not race-hunt-failure/1.');
    writeFileSync(join(dir, 'null.json'), 'null');
    expect(thrown(() => readFailureFile(join(dir, 'null.json'))).message).toContain('null.json is not a usable race-hunt failure file (race-hunt-failure/1): the file is null, not an object.');
  });

  it('the corpus of a scenario is its saved failures, in a stable order; files named for it that cannot be used are listed apart', () => {
    const project = mkdtempSync(join(tmpdir(), 'rh-corpus-'));
    try {
      expect(corpusFor(project, 'a.ts', 'a')).toEqual({ entries: [], unreadable: [] });
      const bug = (message: string): FailureRecord => failureRecord({ scenario: { file: 'a.ts', name: 'a' }, violation: { kind: 'invariant', message } });
      const mine = [bug('one'), bug('two')];
      const other = failureRecord({ scenario: { file: 'a.ts', name: 'b' } });
      // Same name in another file: the same slug, told apart by the record.
      const elsewhere = failureRecord({ scenario: { file: 'c.ts', name: 'a' } });
      for (const r of [...mine, other, elsewhere]) writeFailureFile(failureFilePath(project, r), r);
      writeFileSync(join(project, FAILURES_DIR, 'zz-junk.json'), 'nope');
      writeFileSync(join(project, FAILURES_DIR, 'a-0badf11e.json'), 'nope');
      const corpus = corpusFor(project, 'a.ts', 'a');
      expect(corpus.entries.map((e) => e.record.violation.message).sort()).toEqual(['one', 'two']);
      expect(corpus.entries.map((e) => e.path)).toEqual([...corpus.entries.map((e) => e.path)].sort());
      // Named for this scenario but unusable: listed with why; a file named for no scenario run is not read.
      expect(corpus.unreadable).toEqual([{ path: join(project, FAILURES_DIR, 'a-0badf11e.json'), problem: 'it is not valid JSON' }]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
