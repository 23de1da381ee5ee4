import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../../src/core/step.js';
import type { Palette } from '../../src/reporters/format-trace.js';
import { formatBlocked, formatCount, formatDuration, formatTrace, PLAIN } from '../../src/reporters/format-trace.js';

const SOURCE: Record<string, string> = { 'a.ts:2:3': 'await x;', 'a.ts:9:1': 'setTimeout(f, 50);' };
const source = (location: string): string | undefined => SOURCE[location];

describe('formatTrace (list layout, plain)', () => {
  const trace: TraceStep[] = [
    { kind: 'start', task: 'alice' },
    { kind: 'resume', task: 'alice', location: 'a.ts:2:3' },
    { kind: 'timer', task: 'bob', location: 'a.ts:9:1', time: 50, preemption: true },
    { kind: 'resume', task: 'bob' },
    { kind: 'resume', task: 'bob', location: 'b.ts:1:1' },
  ];

  it('numbers the steps, marks preemptions, and shows task, what happened, where, and the source line', () => {
    const what = 'timer fires at +50ms (set at a.ts:9:1)';
    expect(formatTrace(trace, source)).toEqual([
      '1   alice  starts',
      `2   alice  ${'a.ts:2:3'.padEnd(what.length)}  │ await x;`,
      `3 ⇢ bob    ${what}  │ setTimeout(f, 50);`,
      '4   bob    (unknown await)',
      '5   bob    b.ts:1:1',
    ]);
  });

  it('aligns the source column and pads numbers for long traces', () => {
    const long: TraceStep[] = Array.from({ length: 12 }, (_, i) => ({ kind: 'resume', task: i % 2 ? 'x' : 'longname', location: i % 3 ? 'a.ts:2:3' : 'a.ts:9:1' }));
    const lines = formatTrace(long, source);
    expect(lines).toHaveLength(12);
    expect(lines[0]!.startsWith(' 1   longname  ')).toBe(true);
    expect(lines[11]!.startsWith('12   x         ')).toBe(true);
    expect(new Set(lines.map((l) => l.indexOf('│'))).size).toBe(1);
  });

  it('collapses a long stretch of one task running alone, keeping its ends and what follows', () => {
    const solo: TraceStep[] = [
      ...Array.from({ length: 12 }, (): TraceStep => ({ kind: 'resume', task: 'spin', location: 'a.ts:2:3' })),
      { kind: 'resume', task: 'other', location: 'a.ts:2:3', preemption: true },
    ];
    const lines = formatTrace(solo, source);
    expect(lines.map((l) => l.slice(0, 2))).toEqual([' 1', ' 2', '  ', '11', '12', '13']);
    expect(lines[2]).toBe('      spin   … 8 more steps');
    // A preemption inside a stretch breaks it: nothing is collapsed around a switch.
    const broken = solo.map((s, i): TraceStep => (i === 6 ? { ...s, preemption: true } : s));
    expect(formatTrace(broken, source)).toHaveLength(13);
  });

  it('colours tasks by order of first appearance', () => {
    const marking: Palette = { ...PLAIN, task: (name, index) => `<${index}:${name.trim()}>` };
    const lines = formatTrace(
      [
        { kind: 'start', task: 'b' },
        { kind: 'start', task: 'a' },
        { kind: 'resume', task: 'b', location: 'z.ts:1:1' },
      ],
      () => undefined,
      marking,
    );
    expect(lines.map((l) => /<\d:\w+>/.exec(l)?.[0])).toEqual(['<0:b>', '<1:a>', '<0:b>']);
  });

  it('formats an empty trace as no lines', () => {
    expect(formatTrace([], source)).toEqual([]);
  });

  it('with an elision, shows the ends of a long trace with their own numbers and one line for the middle', () => {
    const long: TraceStep[] = Array.from({ length: 1000 }, (_, i) => ({ kind: 'resume', task: i % 2 ? 'pong' : 'ping', location: 'a.ts:2:3' }));
    const lines = formatTrace(long, source, PLAIN, { limits: { first: 3, last: 2 }, note: (n) => `… ${n} left out` });
    expect(lines).toEqual([
      '   1   ping  a.ts:2:3  │ await x;',
      '   2   pong  a.ts:2:3  │ await x;',
      '   3   ping  a.ts:2:3  │ await x;',
      '        … 995 left out',
      ' 999   ping  a.ts:2:3  │ await x;',
      '1000   pong  a.ts:2:3  │ await x;',
    ]);
    // A trace within the limits is not touched.
    expect(formatTrace(trace, source, PLAIN, { limits: { first: 3, last: 2 }, note: () => 'never' })).toEqual(formatTrace(trace, source));
  });
});

describe('formatBlocked', () => {
  it('names each blocked task and where it waits, with the source line when known', () => {
    expect(formatBlocked([{ task: 'alice', location: 'a.ts:2:3' }, { task: 'bob', location: 'c.ts:1:1' }, { task: 'carol' }], source)).toEqual([
      'alice  waits at a.ts:2:3  │ await x;',
      'bob    waits at c.ts:1:1',
      'carol  waits outside instrumented code',
    ]);
  });

  it('lists the awaits that lead to the innermost wait, aligned', () => {
    expect(formatBlocked([{ task: 'alice', location: 'c.ts:1:1', via: ['a.ts:2:3'] }], source)).toEqual([
      'alice  waits at c.ts:1:1',
      '            via a.ts:2:3  │ await x;',
    ]);
  });
});

describe('formatDuration / formatCount', () => {
  it('formats human durations and counts', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(12.4)).toBe('12ms');
    expect(formatDuration(999)).toBe('999ms');
    expect(formatDuration(1000)).toBe('1.0s');
    expect(formatDuration(61_234)).toBe('61.2s');
    expect(formatCount(7)).toBe('7');
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });
});
