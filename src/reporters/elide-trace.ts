import { countOf } from '../core/count.js';
import type { TraceStep } from '../core/step.js';
import { FAILURES_DIR } from '../failures/failure-file.js';

/** How many steps of a long trace to keep at each end. */
export interface TraceLimits {
  readonly first: number;
  readonly last: number;
  /** `false`: show a task's long stretches alone step by step too (default: collapsed, see `collapseTrace`). */
  readonly collapse?: boolean;
}

/**
 * What the reporters show of a trace: its first 20 and last 40 steps. A step-limit trace is
 * twice `--max-steps` long (20,000 steps by default); the start shows how the tasks began,
 * the end where they went round, and the failure file keeps every step.
 */
export const TRACE_LIMITS: TraceLimits = { first: 20, last: 40 };

/** Every step (`--full-trace`): an elided stretch can hide the step that matters. */
export const FULL_TRACE: TraceLimits = { first: Infinity, last: 0, collapse: false };

/** A trace with its middle left out. `tailStart` is the 0-based index of the first step of `tail`. */
export interface ElidedTrace {
  readonly head: readonly TraceStep[];
  readonly tail: readonly TraceStep[];
  readonly tailStart: number;
  /** How many steps were left out between `head` and `tail` (0: none, and `tail` is empty). */
  readonly elided: number;
}

/** Keeps the first `limits.first` and last `limits.last` steps of a trace longer than both together. */
export function elideTrace(trace: readonly TraceStep[], limits: TraceLimits = TRACE_LIMITS): ElidedTrace {
  const first = Math.max(0, limits.first);
  const last = Math.max(0, limits.last);
  if (trace.length <= first + last) return { head: trace, tail: [], tailStart: trace.length, elided: 0 };
  const tailStart = trace.length - last;
  return { head: trace.slice(0, first), tail: trace.slice(tailStart), tailStart, elided: tailStart - first };
}

/**
 * The line that stands for the steps left out: "… 9,940 steps elided: the whole trace is in
 * .race-hunt/failures/x.json". Without a failure file (a replay saves none), where one is kept.
 */
export function elisionNote(elided: number, failureFile: string | undefined): string {
  const steps = `${countOf(elided, 'step')} elided`;
  return failureFile === undefined
    ? `… ${steps} (race-hunt run keeps whole traces in ${FAILURES_DIR}/)`
    : `… ${steps}: the whole trace is in ${failureFile}`;
}
