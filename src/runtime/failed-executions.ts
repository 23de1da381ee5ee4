import type { Execution } from './execution.js';

/**
 * race-hunt's own failures during an execution (a strategy that threw), recorded where they
 * happen (a scheduler callback, far from the caller's stack) for `runExecution` to raise.
 */
const failures = new WeakMap<Execution, { readonly error: unknown }>();

/**
 * Records `error` as race-hunt's own failure in `execution` and ends the execution's current
 * phase, so that `runExecution` resumes and raises it. The first failure wins: what follows
 * is its fallout.
 */
export function failExecution(execution: Execution, error: unknown): void {
  if (failures.has(execution)) return;
  failures.set(execution, { error });
  // Ends the phase; the violation itself is never reported (runExecution raises the failure instead).
  execution.report({ kind: 'exception', message: 'race-hunt failed' });
}

/** The failure recorded for `execution`, if any. */
export function internalFailureOf(execution: Execution): { readonly error: unknown } | undefined {
  return failures.get(execution);
}
