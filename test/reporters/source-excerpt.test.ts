import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excerptAround, fitSourceLine, indentFit } from '../../src/reporters/source-excerpt.js';

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

describe('fitSourceLine', () => {
  const line = `${'a'.repeat(100)}await this.save(current + amount);${'b'.repeat(100)}`;

  it('prints a line whole without a fit', () => {
    expect(fitSourceLine(line, 100, 80, undefined)).toBe(line);
  });

  it('to a line width, leaves the source what the columns before it do not take, at least 20', () => {
    expect([...fitSourceLine(line, 100, 30, { lineWidth: 80 })]).toHaveLength(50);
    expect([...fitSourceLine(line, 100, 75, { lineWidth: 80 })]).toHaveLength(20);
    expect(fitSourceLine(line, 100, 30, { lineWidth: 80 })).toBe(excerptAround(line, 100, 50));
  });

  it('to a source width, cuts the source alone to it, whatever comes before it', () => {
    for (const before of [0, 40, 200]) expect(fitSourceLine(line, 100, before, { sourceWidth: 120 })).toBe(excerptAround(line, 100, 120));
    expect(fitSourceLine('await x;', 0, 200, { sourceWidth: 120 })).toBe('await x;');
  });

  it('indents a line width, not a source width', () => {
    expect(indentFit({ lineWidth: 80 }, 4)).toEqual({ lineWidth: 76 });
    expect(indentFit({ sourceWidth: 120 }, 4)).toEqual({ sourceWidth: 120 });
    expect(indentFit(undefined, 4)).toBeUndefined();
  });
});
