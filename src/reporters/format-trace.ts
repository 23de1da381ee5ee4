import type { TraceStep } from '../core/step.js';
import type { BlockedTask } from '../core/violation.js';

/** Colours for the terminal, or identity functions for plain text. Keeps formatting pure. */
export interface Palette {
  readonly task: (name: string, index: number) => string;
  readonly dim: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly good: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly bold: (text: string) => string;
}

const same = (text: string): string => text;

export const PLAIN: Palette = { task: same, dim: same, bad: same, good: same, warn: same, bold: same };

/** Finds the source line at a `file:line:col` location (trimmed), or undefined. */
export type SourceLookup = (location: string) => string | undefined;

/**
 * One numbered line per step: task, what happened, where (`file:line:col`) and the
 * source line there.
 */
export function formatTrace(trace: readonly TraceStep[], source: SourceLookup, palette: Palette = PLAIN): string[] {
  const tasks = [...new Set(trace.map((s) => s.task))];
  const taskWidth = Math.max(4, ...tasks.map((t) => t.length));
  const numberWidth = String(trace.length).length;
  const locations = trace.map((s) => describeStep(s));
  const whatWidth = Math.max(...locations.map((l) => l.length), 0);
  return trace.map((step, i) => {
    const number = palette.dim(String(i + 1).padStart(numberWidth));
    const task = palette.task(step.task.padEnd(taskWidth), tasks.indexOf(step.task));
    const what = locations[i]!;
    const line = step.location === undefined ? undefined : source(step.location);
    const code = line === undefined ? '' : `  ${palette.dim('│')} ${line}`;
    return `${number}  ${task}  ${what.padEnd(line === undefined ? 0 : whatWidth)}${code}`;
  });
}

function describeStep(step: TraceStep): string {
  if (step.kind === 'start') return 'starts';
  if (step.kind === 'timer') return `timer fires at +${step.time ?? 0}ms${step.location === undefined ? '' : ` (set at ${step.location})`}`;
  return step.location ?? '(unknown await)';
}

/** For a deadlock: every blocked task and where it waits. */
export function formatBlocked(blocked: readonly BlockedTask[], source: SourceLookup, palette: Palette = PLAIN): string[] {
  return blocked.map((b) => {
    if (b.location === undefined) return `${palette.bold(b.task)} waits outside instrumented code`;
    const line = source(b.location);
    return `${palette.bold(b.task)} waits at ${b.location}${line === undefined ? '' : `  ${palette.dim('│')} ${line}`}`;
  });
}

/** "1.2s", "340ms": a human duration. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}

/** "1,000". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
