import { countOf } from '../core/count.js';
import type { TraceStep } from '../core/step.js';
import type { TraceLimits } from './elide-trace.js';
import { elideTrace } from './elide-trace.js';
import { excerptAround } from './source-excerpt.js';
import type { Palette, SourceLookup } from './palette.js';
import { PLAIN } from './palette.js';

/** A run of more than this many steps of one task, with no preemption in it, is collapsed. */
export const COLLAPSE_AT = 8;
/** Steps kept at each end of a collapsed run. */
const KEEP = 2;

/** A step to show, or a marker for one task's steps collapsed. */
export type CollapsedRow = { readonly kind: 'step'; readonly index: number; readonly step: TraceStep } | { readonly kind: 'gap'; readonly task: string; readonly count: number };

/** A row as shown: a collapsed row, or the marker for the middle of a long trace left out. */
export type TraceRow = CollapsedRow | { readonly kind: 'elided'; readonly count: number };

/** How a long trace's middle is left out, and the line that says so (see `elide-trace.ts`). */
export interface TraceElision {
  readonly limits: TraceLimits;
  readonly note: (elided: number) => string;
}

/**
 * Collapses long stretches where one task runs alone without being preempted: they show
 * nothing about the interleaving. The steps around every switch, and the last step (where
 * the violation shows), are always kept. Indices count from `offset` (where `trace` starts in
 * the whole trace).
 */
export function collapseTrace(trace: readonly TraceStep[], offset = 0, collapse = true): CollapsedRow[] {
  const rows: CollapsedRow[] = [];
  if (!collapse) return trace.map((step, i) => ({ kind: 'step', index: offset + i, step }));
  let start = 0;
  while (start < trace.length) {
    let end = start + 1;
    while (end < trace.length && trace[end]!.task === trace[start]!.task && trace[end]!.preemption !== true) end++;
    const length = end - start;
    if (length > COLLAPSE_AT) {
      for (let i = start; i < start + KEEP; i++) rows.push({ kind: 'step', index: offset + i, step: trace[i]! });
      rows.push({ kind: 'gap', task: trace[start]!.task, count: length - 2 * KEEP });
      for (let i = end - KEEP; i < end; i++) rows.push({ kind: 'step', index: offset + i, step: trace[i]! });
    } else {
      for (let i = start; i < end; i++) rows.push({ kind: 'step', index: offset + i, step: trace[i]! });
    }
    start = end;
  }
  return rows;
}

/**
 * The rows of a trace as shown: with `limits`, the middle of a long trace is one `elided`
 * row; each kept end is collapsed on its own, and its steps keep their numbers in the trace.
 */
export function traceRows(trace: readonly TraceStep[], limits?: TraceLimits): TraceRow[] {
  if (limits === undefined) return collapseTrace(trace);
  const collapse = limits.collapse !== false;
  const { head, tail, tailStart, elided } = elideTrace(trace, limits);
  if (elided === 0) return collapseTrace(head, 0, collapse);
  return [...collapseTrace(head, 0, collapse), { kind: 'elided', count: elided }, ...collapseTrace(tail, tailStart, collapse)];
}

/** Shortens text to `width` display cells, ending with an ellipsis when cut. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

/**
 * The cell text of one step in its task's column (`width` cells). A source line too long for
 * the cell is cut around the await's column, so the await stays in view; `fit` pads the rest.
 */
function cellText(step: TraceStep, source: SourceLookup, width: number): string {
  const marker = step.preemption === true ? '⇢ ' : '';
  if (step.kind === 'start') return `${marker}starts`;
  const where = step.location === undefined ? '' : shortLocation(step.location);
  const head = step.kind === 'timer' ? `${marker}${step.immediate === true ? '⏵' : '⏰'} +${step.time ?? 0}ms ${where}` : `${marker}${where}`;
  const code = step.location === undefined ? undefined : source(step.location);
  if (code === undefined) return head;
  const room = width - [...head].length - 1;
  return `${head} ${room < MIN_CODE ? code : excerptAround(code, source.columnIn?.(step.location!), room)}`;
}

/** Below this many cells for the source line, cutting it around the await shows too little: the cell is cut at its end. */
const MIN_CODE = 12;

/** `account.ts:13:5` from `src/lib/account.ts:13:5`: columns are narrow. */
function shortLocation(location: string): string {
  const slash = location.lastIndexOf('/');
  return slash < 0 ? location : location.slice(slash + 1);
}

/** The narrowest task column worth drawing; below it the list layout is used. */
export const MIN_COLUMN = 24;

/**
 * The interleaving as a table, one column per task (in the spirit of Lincheck's traces):
 * each row is a step in its task's column, with the await's location and source line;
 * preemptions are marked ⇢. Returns undefined when the tasks do not fit in `width`. With
 * `elision`, the middle of a long trace is one line (its note) across the columns.
 */
export function formatColumns(
  trace: readonly TraceStep[],
  source: SourceLookup,
  width: number,
  palette: Palette = PLAIN,
  elision?: TraceElision,
): string[] | undefined {
  const tasks = [...new Set(trace.map((s) => s.task))];
  const numberWidth = Math.max(2, String(trace.length).length);
  const separator = ' │ ';
  const available = width - numberWidth - separator.length * tasks.length;
  const column = Math.floor(available / Math.max(1, tasks.length));
  if (column < MIN_COLUMN) return undefined;
  // Cells after the last filled one are left out, so no row ends in a bare separator.
  const row = (number: string, cells: string[], filled: number): string =>
    `${palette.dim(number.padStart(numberWidth))}${cells
      .slice(0, filled + 1)
      .map((c) => `${palette.dim(separator)}${c}`)
      .join('')}`.trimEnd();
  const lines = [row('', tasks.map((t, i) => palette.task(palette.bold(fit(t, column)), i)), tasks.length - 1)];
  for (const entry of traceRows(trace, elision?.limits)) {
    if (entry.kind === 'elided') {
      lines.push(`${' '.repeat(numberWidth)} ${palette.warn(elision!.note(entry.count))}`);
      continue;
    }
    if (entry.kind === 'gap') {
      const cells = tasks.map((t) => (t === entry.task ? palette.dim(fit(`… ${countOf(entry.count, 'more step', 'more steps')}`, column)) : fit('', column)));
      lines.push(row('', cells, tasks.indexOf(entry.task)));
      continue;
    }
    const text = fit(cellText(entry.step, source, column), column);
    const cells = tasks.map((t, i) => {
      if (t !== entry.step.task) return fit('', column);
      return entry.step.preemption === true ? palette.warn(text) : palette.task(text, i);
    });
    lines.push(row(String(entry.index + 1), cells, tasks.indexOf(entry.step.task)));
  }
  return lines;
}
