/**
 * The kinds of failure race-hunt reports. `exit`: a task called `process.exit`; `timeout`: a run did not finish within the run
 * timeout (a synchronous endless loop) and its worker was stopped; `crash`: the worker
 * running it died (out of memory, a native crash).
 */
export const VIOLATION_KINDS = ['invariant', 'always', 'exception', 'deadlock', 'step-limit', 'exit', 'timeout', 'crash'] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

/** A task that could not go on when a deadlock was declared. */
export interface BlockedTask {
  readonly task: string;
  /** The await it waits at (the innermost), or undefined when it waits outside instrumented code. */
  readonly location?: string;
  /** The task's other suspended awaits, innermost first: usually the calls that lead to `location`. */
  readonly via?: readonly string[];
}

/** A failure found in one execution. */
export interface Violation {
  readonly kind: ViolationKind;
  /** One line a person reads first. */
  readonly message: string;
  /** The user's stack, when the failure was an error. */
  readonly stack?: string;
  /** For deadlocks: every blocked task and where it waits. */
  readonly blocked?: readonly BlockedTask[];
}
