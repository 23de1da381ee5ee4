import type { Execution } from './execution.js';
import type { Continuation } from './options.js';

/**
 * A task of one execution: a user's named task, or a pseudo-task that runs `setup`,
 * `invariant` or `teardown` under the same controlled scheduler.
 */
export interface Task {
  /** Declaration order among the user's tasks; -1 for pseudo-tasks. */
  readonly index: number;
  readonly name: string;
  readonly execution: Execution;
  readonly body: () => unknown;
  started: boolean;
  settled: boolean;
  /** The execution's sequence number when the task last resumed: awaits created since are its current chain. */
  resumedAt: number;
  /** How many of the task's continuations are ready (so a switch away from it is a preemption). */
  readyCount: number;
  /** The await created last by this task (its caller, if one follows within the same segment). */
  lastAwait: Continuation | undefined;
  /** The await that waits for the function the current segment runs in: the caller of its awaits. */
  segmentCaller: Continuation | undefined;
  /** Set once a finding ended the task's phase: its code never resumes again. */
  abandoned: boolean;
  /** What the task's function returned or resolved to (pseudo-tasks hand it back, e.g. setup's state). */
  result?: unknown;
}
