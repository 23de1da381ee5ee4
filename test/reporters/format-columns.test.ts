import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../../src/core/step.js';
import { collapseTrace, COLLAPSE_AT, fit, formatColumns, MIN_COLUMN, traceRows } from '../../src/reporters/format-columns.js';

const source = (location: string): string | undefined => ({ 'src/lib/a.ts:2:3': 'await x;' })[location];

describe('fit', () => {
  it('pads short text and cuts long text with an ellipsis, counting code points', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('⏰⏰⏰', 3)).toBe('⏰⏰⏰');
    expect(fit('anything', 0)).toBe('');
  });
});

describe('collapseTrace', () => {
  const run = (task: string, n: number): TraceStep[] => Array.from({ length: n }, () => ({ kind: 'resume', task, location: 'x:1:1' }));

  it(`keeps stretches of up to ${COLLAPSE_AT} steps and collapses longer ones to their ends`, () => {
    expect(collapseTrace(run('a', COLLAPSE_AT)).every((r) => r.kind === 'step')).toBe(true);
    const rows = collapseTrace([...run('a', 20), ...run('b', 1)]);
    expect(rows.map((r) => (r.kind === 'gap' ? `gap:${r.task}:${r.count}` : r.index))).toEqual([0, 1, 'gap:a:16', 18, 19, 20]);
  });
});

describe('traceRows', () => {
  const run = (task: string, n: number): TraceStep[] => Array.from({ length: n }, () => ({ kind: 'resume', task, location: 'x:1:1' }));

  it('elides the middle of a long trace, then collapses each end on its own with its steps numbered in the whole trace', () => {
    const trace = [...run('a', 30), ...run('b', 30)];
    const rows = traceRows(trace, { first: 10, last: 12 });
    const shown = rows.map((r) => (r.kind === 'gap' ? `gap:${r.task}:${r.count}` : r.kind === 'elided' ? `elided:${r.count}` : r.index));
    expect(shown).toEqual([0, 1, 'gap:a:6', 8, 9, 'elided:38', 48, 49, 'gap:b:8', 58, 59]);
    expect(traceRows(trace)).toEqual(collapseTrace(trace));
  });
});

describe('formatColumns', () => {
  const trace: TraceStep[] = [
    { kind: 'start', task: 'alice' },
    { kind: 'start', task: 'bob' },
    { kind: 'resume', task: 'alice', location: 'src/lib/a.ts:2:3', preemption: true },
    { kind: 'timer', task: 'bob', location: 'src/lib/a.ts:2:3', time: 5 },
  ];

  it('draws one column per task, each step in its task’s column, with short locations and source', () => {
    const lines = formatColumns(trace, source, 80)!;
    expect(lines).toHaveLength(5);
    const column = (line: string, n: number): string => (line.split(/ │(?: |$)/)[n] ?? '').trim();
    expect(column(lines[0]!, 1)).toBe('alice');
    expect(column(lines[0]!, 2)).toBe('bob');
    expect(lines[1]!.trimStart().startsWith('1')).toBe(true);
    expect(column(lines[1]!, 1)).toBe('starts');
    expect(column(lines[2]!, 1)).toBe('');
    expect(column(lines[2]!, 2)).toBe('starts');
    expect(column(lines[3]!, 1)).toBe('⇢ a.ts:2:3 await x;');
    expect(column(lines[4]!, 2)).toBe('⏰ +5ms a.ts:2:3 await x;');
    // Columns line up: every row's separators stand where the header's do (a row stops after its last filled cell).
    const offsets = (line: string): number[] => [...line.matchAll(/ │(?= |$)/g)].map((m) => m.index);
    const header = offsets(lines[0]!);
    for (const line of lines) expect(header.slice(0, offsets(line).length)).toEqual(offsets(line));
    expect(lines.some((l) => l.endsWith('│'))).toBe(false);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('gives up (undefined) when the tasks do not fit the width', () => {
    const tasks = ['a', 'b', 'c', 'd'].map((task): TraceStep => ({ kind: 'start', task }));
    expect(formatColumns(tasks, source, 4 * (MIN_COLUMN + 3) + 2)).toBeDefined();
    expect(formatColumns(tasks, source, 4 * (MIN_COLUMN + 3) + 1)).toBeUndefined();
  });
});
