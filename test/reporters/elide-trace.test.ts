import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../../src/core/step.js';
import { elideTrace, elisionNote, TRACE_LIMITS } from '../../src/reporters/elide-trace.js';

/** n steps, alternating tasks, each step's location naming its 1-based number. */
const trace = (n: number): TraceStep[] => Array.from({ length: n }, (_, i): TraceStep => ({ kind: 'resume', task: i % 2 ? 'b' : 'a', location: `x.ts:${i + 1}:1` }));
const numbers = (steps: readonly TraceStep[]): number[] => steps.map((s) => Number(s.location!.split(':')[1]));

describe('elideTrace', () => {
  it('keeps a trace no longer than both ends together whole', () => {
    for (const n of [0, 1, 59, 60]) {
      const elided = elideTrace(trace(n));
      expect(elided.elided).toBe(0);
      expect(numbers(elided.head)).toEqual(numbers(trace(n)));
      expect(elided.tail).toEqual([]);
    }
  });

  it('keeps the first 20 and the last 40 steps of a longer one, and counts the rest', () => {
    expect(TRACE_LIMITS).toEqual({ first: 20, last: 40 });
    const one = elideTrace(trace(61));
    expect(one.elided).toBe(1);
    expect(numbers(one.head)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(numbers(one.tail)).toEqual(Array.from({ length: 40 }, (_, i) => i + 22));
    expect(one.tailStart).toBe(21);
    const big = elideTrace(trace(10_000));
    expect([big.head.length, big.elided, big.tail.length, big.tailStart]).toEqual([20, 9_940, 40, 9_960]);
    expect(numbers(big.tail)[0]).toBe(9_961);
    expect(numbers(big.tail).at(-1)).toBe(10_000);
  });

  it('takes other limits, zero at either end included', () => {
    expect(numbers(elideTrace(trace(10), { first: 0, last: 3 }).tail)).toEqual([8, 9, 10]);
    const headOnly = elideTrace(trace(10), { first: 2, last: 0 });
    expect([numbers(headOnly.head), headOnly.tail, headOnly.elided]).toEqual([[1, 2], [], 8]);
  });
});

describe('elisionNote', () => {
  it('counts the steps left out and names the failure file that has them all', () => {
    expect(elisionNote(9_940, '.race-hunt/failures/x-1.json')).toBe('… 9,940 steps elided: the whole trace is in .race-hunt/failures/x-1.json');
    expect(elisionNote(1, 'f.json')).toBe('… 1 step elided: the whole trace is in f.json');
  });

  it('says where whole traces are kept when this report saved none (a replay)', () => {
    expect(elisionNote(40, undefined)).toBe('… 40 steps elided (race-hunt run keeps whole traces in .race-hunt/failures/)');
  });
});
