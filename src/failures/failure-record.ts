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
  /** When this bug (see `bug-key.ts`) was first saved; later sightings keep it. */
  readonly createdAt: string;
  /** How many explorations have saved this bug (absent: one); a corpus replay does not count. */
  readonly seen?: number;
  /** When it was last saved, if more than once. */
  readonly lastSeen?: string;
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
  /** The schedule to replay: the shrunk one once shrinking has run (its input is drawn from its seed). */
  readonly schedule: string;
  /** The schedule's input, as fast-check prints it, for a scenario with one: for people (replay draws it again). */
  readonly input?: string;
  readonly steps: number;
  readonly preemptions: number;
  readonly trace: readonly TraceStep[];
  /** The schedule as found, before shrinking. */
  readonly original: { readonly schedule: string; readonly steps: number; readonly preemptions: number };
  /** Set once shrinking ran: whether it proved the result minimal, and whether the budget cut it short. */
  readonly shrink?: {
    readonly minimal: boolean;
    readonly cutShort: boolean;
    readonly runs: number;
    /** Whether fewer steps were ruled out too (absent in files written before race-hunt searched for them). */
    readonly minimalSteps?: boolean;
    readonly durationMs?: number;
    readonly budgetMs?: number;
  };
  readonly replay: string;
  /**
   * A hash (sha256, 16 hex digits) of each source file as it was when saved: the scenario's
   * file and every file its trace or its blocked tasks name, relative to the working
   * directory. Lets a replay that no longer follows the schedule name the file that changed.
   */
  readonly sources?: Readonly<Record<string, string>>;
}
