import type { InputChoice } from './schedule.js';
import type { Footprint } from './footprint.js';
import type { ChoiceOption } from './step.js';

/**
 * Picks what runs next within one execution. Called only for real decisions (two or more
 * options), with the options sorted canonically; returns an index into them. The array is
 * the runtime's, reused for the next decision: read it during the call, never keep it.
 * Choosers are pure and synchronous: no clocks, files or environment.
 */
export interface Chooser {
  /**
   * @param decision 0-based index of this decision in the execution.
   * @param previous the step performed last (forced or chosen), if any: continuing its task
   *   is not a preemption.
   */
  choose(options: readonly ChoiceOption[], decision: number, previous: ChoiceOption | undefined): number;
  /** Hears every step performed (forced ones too), for choosers that count steps per task. */
  observe?(performed: ChoiceOption): void;
  /** Called when the execution ends; a replay uses it to report a schedule that was not used up. */
  finish?(decisionsMade: number): void;
  /**
   * Hears what every step (forced ones too) did, in order, once it has finished, for
   * partial-order reduction. A runtime that has it may report a step after the next decision.
   */
  stepped?(event: StepEvent): void;
}

/** What the runtime reports about a finished step, for partial-order reduction. */
export interface StepEvent {
  /** The option that ran; `option.seq` identifies it within the execution. */
  readonly option: ChoiceOption;
  /** The options ready when it was picked (canonical order, a copy); a forced step has just itself. */
  readonly options: readonly ChoiceOption[];
  /** The 0-based index of the decision that picked it (as passed to choose), or -1 for a forced step. */
  readonly decision: number;
  /**
   * Indices (into this execution's steps, forced ones included, 0-based) of the steps that
   * made the option exist and made it ready: the step in which its task reached the await,
   * and the step that settled what it awaited; -1 when none (e.g. a task's start).
   */
  readonly createdBy: number;
  readonly readiedBy: number;
  readonly footprint: Footprint;
}

/** The plan for one execution: the seed for the scenario's randomness, and who decides. */
export interface RunPlan {
  readonly seed: number;
  /** The input to run with (a replay or shrink of a shrunk input); absent: the one drawn from `seed`. */
  readonly input?: InputChoice;
  readonly chooser: Chooser;
  /** Which strategy made this plan (a portfolio names its member). */
  readonly strategy: string;
}

/**
 * An exploration strategy: hands out one plan per execution, or undefined when the space it
 * covers is exhausted. All randomness comes from the seed it was created with.
 */
export interface Strategy {
  readonly name: string;
  nextRun(): RunPlan | undefined;
  /**
   * Present when runs can be split across workers: most plans then depend on nothing but the
   * run's index. Absent: every plan may depend on earlier runs' outcomes (dfs, delay, dpor),
   * so one worker runs them all.
   */
  readonly split?: RunSplit;
}

/**
 * How a strategy's runs are shared between workers with results independent of their number.
 * Every worker holds the same strategy and walks the same run indices: it runs its own and
 * passes over the others with `skip`. The first runs are a calibration that every worker
 * runs: the strategy learns from them (`observe`) what it may (PCT's run-length estimate),
 * and `freeze` ends that, so later plans do not depend on which runs a worker saw.
 */
export interface RunSplit {
  /** Whether the next run's plan depends on earlier runs' outcomes: then one worker runs every such run. */
  nextIsSerial(): boolean;
  /** Passes over the next run without running it: another worker runs it. */
  skip(): void;
  /** Hears the number of decisions of each calibration run, in index order. */
  observe(decisions: number): void;
  /** Ends calibration. */
  freeze(): void;
}

/** Thrown by a chooser when an execution no longer follows the schedule it replays. */
export class ScheduleDivergence extends Error {
  override readonly name = 'ScheduleDivergence';
  constructor(
    /** 1-based index of the decision at which the run diverged. */
    readonly decision: number,
    message: string,
  ) {
    super(message);
  }
}
