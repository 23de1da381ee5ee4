import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Footprint } from '../../src/core/footprint.js';
import { conflicts, FootprintHistory, indexesConflict, indexFootprint, OPAQUE } from '../../src/core/footprint.js';

const fp = (reads: string[], writes: string[] = [], opaque = false): Footprint => ({ reads: new Set(reads), writes: new Set(writes), opaque });

/** The rules, pair by pair, as the spec states them: the reference the indexed version must match. */
function writeMeets(write: string, other: string, otherIsRead: boolean): boolean {
  const object = (location: string): string | undefined => /^o(\d+)\./.exec(location)?.[1];
  if (otherIsRead && other === '*') return true;
  if (write.startsWith('n:')) return otherIsRead && other === write;
  const wo = object(write);
  if (wo === undefined) return write === other;
  if (write === `o${wo}.*`) return object(other) === wo || (otherIsRead && other.startsWith('n:'));
  return write === other || other === `o${wo}.*`;
}

function reference(a: Footprint, b: Footprint): boolean {
  if (a.opaque || b.opaque) return true;
  const oneWay = (w: Footprint, o: Footprint): boolean =>
    [...w.writes].some((x) => [...o.reads].some((y) => writeMeets(x, y, true)) || [...o.writes].some((y) => writeMeets(x, y, false)));
  return oneWay(a, b) || oneWay(b, a);
}

const LOCATIONS = ['o1.a', 'o1.b', 'o1.*', 'o2.a', 'o2.*', 'o12.a', 'o1.a.b', 'n:a', 'n:b', 'v:x', 'v:y', 'v:o1.a'];
const footprintArb = fc.record({ reads: fc.subarray([...LOCATIONS, '*']), writes: fc.subarray(LOCATIONS) }).map((r) => fp(r.reads, r.writes));
const opaqueArb = fc.oneof(footprintArb, fc.constant(OPAQUE));

/**
 * Happens-before by conflicts over a sequence of steps, and the immediate conflicts (nothing
 * ordered between): each step compared, latest first, with the earlier steps `candidatesOf` names.
 */
function ordering(steps: readonly Footprint[], candidatesOf: (j: number) => number[]): { before: string[]; immediate: string[] } {
  const rows: Set<number>[] = [];
  const immediate: string[] = [];
  steps.forEach((step, j) => {
    const row = new Set<number>();
    for (const i of [...new Set(candidatesOf(j))].sort((a, b) => b - a)) {
      if (row.has(i) || !conflicts(steps[i]!, step)) continue;
      immediate.push(`${i}<${j}`);
      row.add(i);
      for (const k of rows[i]!) row.add(k);
    }
    rows.push(row);
  });
  return { before: rows.flatMap((row, j) => [...row].sort((a, b) => a - b).map((i) => `${i}<${j}`)), immediate: immediate.sort() };
}

describe('footprint conflicts', () => {
  it('matches the rules stated pair by pair', () => {
    fc.assert(
      fc.property(footprintArb, footprintArb, (a, b) => {
        expect(conflicts(a, b)).toBe(reference(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(opaqueArb, opaqueArb, (a, b) => {
        expect(conflicts(a, b)).toBe(conflicts(b, a));
      }),
      { numRuns: 1000 },
    );
  });

  it('never lets two reads conflict, wildcards included', () => {
    fc.assert(
      fc.property(footprintArb, footprintArb, (a, b) => {
        expect(conflicts(fp([...a.reads]), fp([...b.reads]))).toBe(false);
      }),
    );
  });

  it('makes an opaque step conflict with everything, even a step that touched nothing', () => {
    fc.assert(
      fc.property(footprintArb, (a) => {
        expect(conflicts(OPAQUE, a) && conflicts(a, OPAQUE)).toBe(true);
      }),
    );
    expect(conflicts(fp([]), fp([], [], true))).toBe(true);
    expect(conflicts(fp([]), fp([]))).toBe(false);
  });

  it('orders a write of a property with a read or write of it or of the whole object, not of another property or object', () => {
    expect(conflicts(fp([], ['o1.a']), fp(['o1.a']))).toBe(true);
    expect(conflicts(fp([], ['o1.a']), fp([], ['o1.a']))).toBe(true);
    expect(conflicts(fp([], ['o1.a']), fp(['o1.*']))).toBe(true);
    expect(conflicts(fp([], ['o1.a']), fp([], ['o1.*']))).toBe(true);
    expect(conflicts(fp([], ['o1.a']), fp(['o1.b']))).toBe(false);
    expect(conflicts(fp([], ['o1.a']), fp(['o2.a', 'o12.a', 'o2.*']))).toBe(false);
    // The object id ends at the first dot: `o1.a.b` is property `a.b` of object 1.
    expect(conflicts(fp([], ['o1.a.b']), fp(['o1.*']))).toBe(true);
    expect(conflicts(fp([], ['o1.a.b']), fp(['o1.a']))).toBe(false);
  });

  it('orders a write of a whole object with every access to it and with reads of any name', () => {
    expect(conflicts(fp([], ['o1.*']), fp(['o1.z']))).toBe(true);
    expect(conflicts(fp([], ['o1.*']), fp([], ['o1.z']))).toBe(true);
    expect(conflicts(fp([], ['o1.*']), fp(['n:z']))).toBe(true);
    expect(conflicts(fp([], ['o1.*']), fp([], ['n:z']))).toBe(false);
    expect(conflicts(fp([], ['o1.*']), fp(['o2.z', 'v:x']))).toBe(false);
  });

  it('orders a write of a name only with reads of that name', () => {
    expect(conflicts(fp([], ['n:k']), fp(['n:k']))).toBe(true);
    expect(conflicts(fp([], ['n:k']), fp([], ['n:k']))).toBe(false);
    expect(conflicts(fp([], ['n:k']), fp(['n:j', 'o1.k']))).toBe(false);
    // A property write also writes its name: a lookup through a prototype chain sees it.
    expect(conflicts(fp([], ['o3.k', 'n:k']), fp(['n:k']))).toBe(true);
  });

  it('orders variables by name, and a read of everything with any write', () => {
    expect(conflicts(fp([], ['v:x']), fp(['v:x']))).toBe(true);
    expect(conflicts(fp([], ['v:x']), fp([], ['v:x']))).toBe(true);
    expect(conflicts(fp([], ['v:x']), fp(['v:y']))).toBe(false);
    for (const write of ['v:x', 'o1.a', 'o1.*', 'n:a']) expect(conflicts(fp(['*']), fp([], [write]))).toBe(true);
    expect(conflicts(fp(['*']), fp(['v:x', 'o1.*']))).toBe(false);
  });

  it('treats a write of `*` (not a valid write) as opaque', () => {
    expect(conflicts(fp([], ['*']), fp([]))).toBe(true);
  });

  it('finds, through the history, the same ordering as comparing every pair', () => {
    const sparseArb = fc
      .record({ reads: fc.subarray([...LOCATIONS, '*'], { maxLength: 3 }), writes: fc.subarray(LOCATIONS, { maxLength: 2 }) })
      .map((r) => fp(r.reads, r.writes));
    const stepArb = fc.oneof({ weight: 12, arbitrary: sparseArb }, { weight: 4, arbitrary: footprintArb }, { weight: 1, arbitrary: fc.constant(OPAQUE) });
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30 }), (steps) => {
        const history = new FootprintHistory();
        const viaHistory = ordering(steps, (j) => {
          const found: number[] = [];
          const index = indexFootprint(steps[j]!);
          history.candidates(index, (i) => found.push(i));
          history.add(index);
          return found;
        });
        expect(viaHistory).toEqual(ordering(steps, (j) => Array.from({ length: j }, (_, i) => i)));
      }),
      { numRuns: 3000 },
    );
  });

  it('compares indexes as it compares footprints', () => {
    fc.assert(
      fc.property(opaqueArb, opaqueArb, (a, b) => {
        expect(indexesConflict(indexFootprint(a), indexFootprint(b))).toBe(conflicts(a, b));
      }),
    );
  });

  it('compares a step only with earlier steps that touched what it touches', () => {
    const history = new FootprintHistory();
    let compared = 0;
    for (let k = 0; k < 300; k++) {
      const step = indexFootprint(fp([`o${k}.a`, `o${k}.b`, `v:r${k}`, 'v:shared'], [`o${k}.c`, 'n:c']));
      history.candidates(step, () => compared++);
      history.add(step);
    }
    expect(compared).toBe(0); // shared reads, and writes of one name, order nothing
    const writer = indexFootprint(fp([], ['v:shared']));
    const found: number[] = [];
    history.candidates(writer, (i) => found.push(i));
    expect(found).toHaveLength(300);
    history.add(writer);
    found.length = 0;
    history.candidates(indexFootprint(fp([], ['v:shared'])), (i) => found.push(i));
    expect(found).toEqual([300]); // the last write stands for every access before it
  });
});
