import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceLookup } from '../../src/reporters/source-lines.js';

describe('sourceLookup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rh-source-'));
  writeFileSync(join(dir, 'a.ts'), 'first\n    await second();  \nthird\n');
  writeFileSync(join(dir, 'crlf.ts'), 'one\r\n  two\r\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the trimmed line at a location relative to cwd, or absolute', () => {
    const lookup = sourceLookup(dir);
    expect(lookup('a.ts:2:5')).toBe('await second();');
    expect(lookup('a.ts:1:1')).toBe('first');
    expect(lookup(`${join(dir, 'a.ts')}:3:1`)).toBe('third');
    expect(lookup('crlf.ts:2:3')).toBe('two');
  });

  it('is undefined for a missing file, a line past the end, or text that is no location', () => {
    const lookup = sourceLookup(dir);
    expect(lookup('missing.ts:1:1')).toBeUndefined();
    expect(lookup('a.ts:99:1')).toBeUndefined();
    expect(lookup('a.ts')).toBeUndefined();
    expect(lookup('(unknown)')).toBeUndefined();
  });
});
