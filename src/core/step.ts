/** What one scheduling step does. */
export type StepKind = 'start' | 'resume' | 'timer';

/**
 * One thing the scheduler may do next. The runtime hands strategies these, sorted
 * canonically (task, then sequence number), so an index into the list is a stable choice.
 */
export interface ChoiceOption {
  readonly kind: StepKind;
  /** Index of the task in declaration order; -1 for work owned by `setup`. */
  readonly task: number;
  /** Creation order within the run (a start: negative, one per task): breaks ties between options of one task, and names an option within a run. */
  readonly seq: number;
  /**
   * Where the option would resume, shared by every task at the same point of the code: a
   * small integer for the await's location together with its caller's (the await that
   * waits for the function it is in), so that `lock()` called from two places is two sites.
   * Every start is START_SITE; every timer is TIMER_SITE. Numbered in order of first sight
   * within an exploration.
   */
  readonly site: number;
}

export const START_SITE = -1;
export const TIMER_SITE = -2;

/** One step of an execution as a person reads it. */
export interface TraceStep {
  readonly kind: StepKind;
  /** The task's name (a timer is labelled with the task that set it). */
  readonly task: string;
  /** `file:line:col` of the await that resumed, or where a timer was set; absent for a start. */
  readonly location?: string;
  /** Virtual milliseconds since the run began, for timer steps. */
  readonly time?: number;
  /** A timer step that ran a `setImmediate` callback (in the loop's check phase), not a timer's. */
  readonly immediate?: true;
  /** This step switched away from a task that could have gone on. */
  readonly preemption?: true;
}

/** Orders options canonically: by task, then by creation order. */
export function compareOptions(a: ChoiceOption, b: ChoiceOption): number {
  return a.task - b.task || a.seq - b.seq;
}

/** What a timer step did, as a person reads it: "timer fires at +5ms", "immediate runs at +5ms". */
export function macrotaskWhat(step: TraceStep): string {
  return `${step.immediate === true ? 'immediate runs' : 'timer fires'} at +${step.time ?? 0}ms`;
}
