import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excerptAround } from '../../src/reporters/source-excerpt.js';

describe('excerptAround', () => {
  it('returns a line that fits whole', () => {
    expect(excerptAround('await x;', 0, 40)).toBe('await x;');
  });

  it('cuts a long line on both sides, keeping the column in view', () => {
    const line = `${'a'.repeat(100)}await this.save(current + amount);${'b'.repeat(100)}`;
    const cut = excerptAround(line, 100, 40);
    expect([...cut]).toHaveLength(40);
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).toContain('await this.save');
  });

  it('PROPERTY: never longer than the width; the character at the column is shown; only cut ends carry "…"', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'x'), minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 8, max: 200 }), (line, rawColumn, width) => {
        const column = rawColumn % line.length;
        const cut = excerptAround(line, column, width);
        expect([...cut].length).toBeLessThanOrEqual(width);
        if (line.length <= width) {
          expect(cut).toBe(line);
          return;
        }
        // Mark the column's character and check it survives the cut.
        const marked = `${line.slice(0, column)}@${line.slice(column + 1)}`;
        expect(excerptAround(marked, column, width)).toContain('@');
        expect(cut.startsWith('…') || cut.endsWith('…')).toBe(true);
      }),
    );
  });
});
