import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locationIdOf, newCoverage, pairKey, siteOf } from '../../src/runtime/coverage.js';

describe('coverage interning', () => {
  it('numbers locations and sites in order of first sight, the same each time asked', () => {
    const coverage = newCoverage();
    expect(locationIdOf(coverage, 'a.ts:1:1')).toBe(0);
    expect(locationIdOf(coverage, 'a.ts:2:1')).toBe(1);
    expect(locationIdOf(coverage, 'a.ts:1:1')).toBe(0);
    const lockFromWriter = siteOf(coverage, 'mutex.ts:5:5', 'writer.ts:3:3');
    const lockFromReader = siteOf(coverage, 'mutex.ts:5:5', 'reader.ts:7:3');
    const lockAlone = siteOf(coverage, 'mutex.ts:5:5', undefined);
    // One await, three callers: three sites.
    expect(new Set([lockFromWriter, lockFromReader, lockAlone]).size).toBe(3);
    expect(siteOf(coverage, 'mutex.ts:5:5', 'reader.ts:7:3')).toBe(lockFromReader);
    expect([lockFromWriter, lockFromReader, lockAlone]).toEqual([0, 1, 2]);
  });

  it('PROPERTY: pair keys are distinct for distinct pairs, and small integers while both parts are small', () => {
    const part = fc.integer({ min: -1, max: 40_000 });
    fc.assert(
      fc.property(part, part, part, part, (a, b, c, d) => {
        const k1 = pairKey(a, b);
        if (a < 0x7fff && b < 0x7fff) expect(Number.isSafeInteger(k1) && (k1 as number) <= 0x3fffffff).toBe(true);
        if (a !== c || b !== d) expect(pairKey(c, d)).not.toBe(k1);
      }),
      { numRuns: 500 },
    );
  });
});
