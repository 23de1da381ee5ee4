import type { TraceStep } from '../core/step.js';
import type { BlockedTask, ViolationKind } from '../core/violation.js';

/**
 * Everything about one found violation, as saved in `.race-hunt/failures/*.json`: enough to
 * replay it, shrink it further, or file a bug report, long after the run that found it.
 */
export interface FailureRecord {
  readonly format: 'race-hunt-failure/1';
  readonly raceHunt: string;
  readonly node: string;
  readonly createdAt: string;
  readonly scenario: { readonly file: string; readonly name: string };
  /** The exploration's seed and strategy, and which member found it after how many runs. */
  readonly exploration: { readonly seed: number; readonly strategy: string; readonly foundBy: string; readonly run: number };
  /** Options that change what an execution does. */
  readonly options: { readonly maxSteps: number; readonly timers: 'fuzz' | 'strict'; readonly instrument: readonly string[] };
  readonly violation: {
    readonly kind: ViolationKind;
    readonly message: string;
    readonly stack?: string;
    readonly blocked?: readonly BlockedTask[];
  };
  /** The schedule to replay: the shrunk one once shrinking has run. */
  readonly schedule: string;
  readonly steps: number;
  readonly preemptions: number;
  readonly trace: readonly TraceStep[];
  /** The schedule as found, before shrinking. */
  readonly original: { readonly schedule: string; readonly steps: number; readonly preemptions: number };
  /** Set once shrinking ran: whether it proved the result minimal, and whether the budget cut it short. */
  readonly shrink?: { readonly minimal: boolean; readonly cutShort: boolean; readonly runs: number };
  readonly replay: string;
}
