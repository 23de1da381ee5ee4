import type { ViolationReport } from '../core/report.js';
import { elisionNote, FULL_TRACE, TRACE_LIMITS } from './elide-trace.js';
import type { TraceElision } from './format-columns.js';
import { formatColumns } from './format-columns.js';
import { shrinkSentence } from './format-shrink.js';
import { countOf, formatBlocked, formatCount, formatTrace } from './format-trace.js';
import type { Palette, SourceLookup } from './palette.js';
import type { SourceFit } from './source-excerpt.js';
import { indentFit } from './source-excerpt.js';
import { PLAIN } from './palette.js';

/** How a violation is laid out. */
export interface ViolationTextOptions {
  /** A replay does not say which strategy found it. */
  readonly mode: 'run' | 'replay' | 'shrink';
  readonly source: SourceLookup;
  readonly palette?: Palette;
  /** Draw the trace side by side in this many cells when the tasks fit; otherwise (or when absent) as a list. */
  readonly columnsWidth?: number;
  /** Print every step (`--full-trace`) instead of eliding the middle of a long trace. */
  readonly fullTrace?: boolean;
  /** In the list layout, how to cut long source lines (to a terminal's width, or a log's source width), the await kept in view; whole without. */
  readonly sourceFit?: SourceFit;
}

/** "shrunk from 38 steps / 9 preemptions to 6 steps / 1 preemption (…) — minimal: …", see `shrinkSentence`. */
export function shrinkLine(v: ViolationReport): string {
  const s = v.shrinking;
  return shrinkSentence({
    from: v.shrunkFrom!,
    to: v,
    minimal: v.minimal === true,
    cutShort: s?.cutShort ?? false,
    ...(s === undefined ? {} : { minimalSteps: s.minimalSteps, runs: s.runs }),
    ...(s?.durationMs === undefined ? {} : { durationMs: s.durationMs }),
    ...(s?.budgetMs === undefined ? {} : { budgetMs: s.budgetMs }),
  });
}

/**
 * "10 steps, 1 preemption; found in run 4 by pct(d=3)"; a replay says "replayed" (the run that
 * found it is another command's), and so do the Markdown report's words.
 */
export function traceHeader(v: Pick<ViolationReport, 'steps' | 'preemptions' | 'run' | 'foundBy'>, mode: ViolationTextOptions['mode']): string {
  const how = mode === 'replay' ? 'replayed' : `found in run ${formatCount(v.run)} by ${v.foundBy}`;
  return `${countOf(v.steps, 'step')}, ${countOf(v.preemptions, 'preemption')}; ${how}`;
}

/** The elision every reporter applies to a violation's trace: its middle, past {@link TRACE_LIMITS}, is one line naming the failure file. */
export function violationElision(v: ViolationReport, fullTrace = false): TraceElision {
  return { limits: fullTrace ? FULL_TRACE : TRACE_LIMITS, note: (elided) => elisionNote(elided, v.failureFile) };
}

/**
 * A violation as the terminal prints it under its scenario's line (indented by two): what
 * failed, the trace (its middle elided when long), blocked tasks, the user's stack frames,
 * the replay command and where it was saved. JUnit puts the plain form in its `<failure>`.
 */
export function formatViolation(v: ViolationReport, options: ViolationTextOptions): string[] {
  const palette = options.palette ?? PLAIN;
  const lines: string[] = [];
  lines.push(`  ${palette.bad(`${v.kind} violation:`)} ${v.message}`);
  if (v.input !== undefined) {
    const from = v.shrunkFrom?.input;
    // fast-check's shrinker proposes each smaller input; a brief search of its schedules decides.
    const shrunk = from === undefined || from === v.input.shown ? '' : palette.dim(` (shrunk from ${from}; a smaller input that a brief search did not fail is not proven to pass)`);
    lines.push(`  ${palette.dim('input:')} ${v.input.shown}${shrunk}`);
  }
  lines.push(`  ${palette.dim(`trace (${traceHeader(v, options.mode)}):`)}`);
  if (v.shrunkFrom !== undefined) lines.push(`  ${palette.dim(shrinkLine(v))}`);
  const elision = violationElision(v, options.fullTrace === true);
  const columns = options.columnsWidth === undefined ? undefined : formatColumns(v.trace, options.source, options.columnsWidth, palette, elision);
  // Indented by four under the violation.
  const fit = indentFit(options.sourceFit, 4);
  for (const line of columns ?? formatTrace(v.trace, options.source, palette, elision, fit)) lines.push(`    ${line}`);
  lines.push(`  ${palette.bad('✘')} ${v.message}`);
  if (v.blocked !== undefined && v.blocked.length > 0) {
    lines.push(`  ${palette.dim('blocked:')}`);
    for (const line of formatBlocked(v.blocked, options.source, palette, fit)) lines.push(`    ${line}`);
  }
  if (v.stack !== undefined && v.kind !== 'deadlock') {
    const frames = v.stack.split('\n').filter((l) => /^\s+at /.test(l) && !l.includes('node:internal') && !l.includes('/node_modules/'));
    for (const frame of frames.slice(0, 3)) lines.push(`    ${palette.dim(frame.trim())}`);
  }
  if (v.nondeterministic !== undefined) {
    // Both traces: the run that failed above, and the second run of its schedule.
    const { replay, likelyCause } = v.nondeterministic;
    lines.push(`  ${palette.warn(`nondeterministic: the same schedule, run again, ${replay.outcome}; not shrunk`)}`);
    lines.push(`  ${palette.warn(`likely cause: ${likelyCause}`)}`);
    if (replay.trace.length > 0) {
      lines.push(`  ${palette.dim('the second run:')}`);
      for (const line of formatTrace(replay.trace, options.source, palette, violationElision(v, options.fullTrace === true), fit)) lines.push(`    ${line}`);
    }
  }
  lines.push(`  ${palette.dim('replay:')} ${v.replay}`);
  if (v.failureFile !== undefined) lines.push(`  ${palette.dim('saved:')}  ${v.failureFile}`);
  else if (options.mode === 'run') lines.push(`  ${palette.dim('not saved (--no-corpus): the replay command above is the record of it')}`);
  if (v.reportFiles !== undefined) lines.push(`  ${palette.dim('report:')} ${v.reportFiles.join(', ')}`);
  return lines;
}
