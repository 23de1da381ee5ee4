import type { TraceStep } from '../core/step.js';
import { macrotaskWhat } from '../core/step.js';
import type { BlockedTask } from '../core/violation.js';
import type { TraceElision } from './format-columns.js';
import { traceRows } from './format-columns.js';
import { countOf } from '../core/count.js';
import type { SourceFit } from './source-excerpt.js';
import { fitSourceLine } from './source-excerpt.js';
import type { Palette, SourceLookup } from './palette.js';
import { PLAIN } from './palette.js';

export type { Palette, SourceLookup } from './palette.js';
export type { TraceElision } from './format-columns.js';
export { PLAIN } from './palette.js';
// The one count helper lives in core/, where strategies' messages reach it too.
export { countOf, formatCount } from '../core/count.js';

/**
 * The list layout: one numbered line per step with task, what happened, where
 * (`file:line:col`) and the source line there. Preemptions are marked ⇢; long stretches of
 * one task running alone are collapsed. With `elision`, the middle of a long trace is one
 * line (its note), and only the steps shown are formatted.
 */
export function formatTrace(
  trace: readonly TraceStep[],
  source: SourceLookup,
  palette: Palette = PLAIN,
  elision?: TraceElision,
  /** How to cut long source lines, the await kept in view (see {@link SourceFit}); whole without. */
  fit?: SourceFit,
): string[] {
  const tasks = [...new Set(trace.map((s) => s.task))];
  const rows = traceRows(trace, elision?.limits);
  const shown = rows.flatMap((row) => (row.kind === 'step' ? [row.step] : []));
  const taskWidth = Math.max(4, ...[...new Set(shown.map((s) => s.task))].map((t) => t.length));
  const numberWidth = String(trace.length).length;
  const whatWidth = Math.max(...shown.map((s) => describeStep(s).length), 0);
  return rows.map((row) => {
    if (row.kind === 'elided') return palette.warn(`${' '.repeat(numberWidth)}    ${elision!.note(row.count)}`);
    if (row.kind === 'gap') return palette.dim(`${' '.repeat(numberWidth)}    ${row.task.padEnd(taskWidth)}  … ${countOf(row.count, 'more step', 'more steps')}`);
    const { step, index } = row;
    const number = palette.dim(String(index + 1).padStart(numberWidth));
    const mark = step.preemption === true ? palette.warn('⇢') : ' ';
    const task = palette.task(step.task.padEnd(taskWidth), tasks.indexOf(step.task));
    const what = describeStep(step);
    const line = step.location === undefined ? undefined : source(step.location);
    // What comes before the source line: number, mark, task, location, " │ ".
    const before = numberWidth + 3 + taskWidth + 2 + Math.max(what.length, whatWidth) + 4;
    const shownLine = line === undefined ? line : fitSourceLine(line, source.columnIn?.(step.location!), before, fit);
    const code = shownLine === undefined ? '' : `  ${palette.dim('│')} ${shownLine}`;
    return `${number} ${mark} ${task}  ${what.padEnd(line === undefined ? 0 : whatWidth)}${code}`;
  });
}

function describeStep(step: TraceStep): string {
  if (step.kind === 'start') return 'starts';
  if (step.kind === 'timer') return `${macrotaskWhat(step)}${step.location === undefined ? '' : ` (set at ${step.location})`}`;
  return step.location ?? '(unknown await)';
}

/**
 * For a deadlock: every blocked task, where it waits and the awaits that lead there, aligned.
 * With `fit`, long source lines are cut, each around its await, as in `formatTrace`.
 */
export function formatBlocked(blocked: readonly BlockedTask[], source: SourceLookup, palette: Palette = PLAIN, fit?: SourceFit): string[] {
  const taskWidth = Math.max(...blocked.map((b) => b.task.length), 0);
  const all = blocked.flatMap((b) => [b.location ?? '', ...(b.via ?? [])]);
  const locationWidth = Math.max(...all.map((l) => l.length), 0);
  // What comes before a source line: task, "  waits at " (or as wide a "via "), location, "  │ ".
  const before = taskWidth + 11 + locationWidth + 4;
  const at = (location: string): string => {
    const line = source(location);
    if (line === undefined) return location;
    const shown = fitSourceLine(line, source.columnIn?.(location), before, fit);
    return `${location.padEnd(locationWidth)}  ${palette.dim('│')} ${shown}`;
  };
  return blocked.flatMap((b) => {
    const task = palette.bold(b.task.padEnd(taskWidth));
    if (b.location === undefined) return [`${task}  waits outside instrumented code`];
    return [`${task}  waits at ${at(b.location)}`, ...(b.via ?? []).map((v) => `${' '.repeat(taskWidth)}       via ${at(v)}`)];
  });
}

/** "1.2s", "340ms": a human duration. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}
