import type { Schedule } from './schedule.js';
import type { TraceStep } from './step.js';
import type { Violation } from './violation.js';
import type { RunInput } from './run-input.js';

/**
 * Why an execution could not run the scenario at all (reported as a scenario error, not a
 * finding): setup or teardown failed, or `always` is not a synchronous check.
 */
export interface ExecutionError {
  /** `input`: drawing the run's input, or `tasks(input)`, failed. */
  readonly phase: 'input' | 'setup' | 'teardown' | 'always';
  readonly message: string;
  readonly stack?: string;
}

/** Where a replayed execution stopped following its schedule. */
export interface Divergence {
  /** 1-based index of the decision. */
  readonly decision: number;
  readonly message: string;
}

/** The outcome of one execution of a scenario under one schedule: data, never an exception. */
export type ExecutionResult = {
  /** The schedule this execution followed; replaying it reproduces `trace`. */
  readonly schedule: Schedule;
  /** Scheduling steps taken by the user's tasks (forced and chosen). */
  readonly steps: number;
  /** Steps that switched away from a task that could have gone on. */
  readonly preemptions: number;
  /** A hash of the task/await sequence: equal hashes mean the same interleaving. */
  readonly interleaving: number;
  /** Await-location pairs (which await resumed right after which) first seen in this execution. */
  readonly newAwaitPairs: number;
  /** The steps, present for every outcome but `pass` unless the caller asked for it. */
  readonly trace?: readonly TraceStep[];
  /** The run's input (a scenario with `spec.input`), as reports show it. */
  readonly input?: RunInput;
  /** Beside `trace`: each step's entity (task index; -2 for timers), which shrinking works on. */
  readonly entities?: readonly number[];
} & (
  | { readonly status: 'pass' }
  | { readonly status: 'violation'; readonly violation: Violation }
  | { readonly status: 'diverged'; readonly divergence: Divergence; readonly violation?: Violation }
  | { readonly status: 'error'; readonly error: ExecutionError }
);
