import type { RunInput } from './run-input.js';
import type { TraceStep } from './step.js';
import type { BlockedTask, ViolationKind } from './violation.js';
import { EXIT } from './errors.js';
import type { Nondeterminism } from './nondeterminism.js';
import type { UncontrolledReport } from './uncontrolled.js';
import type { ShardSummary } from './shard.js';
import type { ReplayOptions } from './replay-command.js';

/** A violation as reported: what failed, the schedule that reproduces it, and its trace. */
export interface ViolationReport {
  readonly kind: ViolationKind;
  readonly message: string;
  /** The token that replays this exact execution (its input too: drawn from the token's seed). */
  readonly schedule: string;
  /** The run's input, for a scenario with `spec.input`. */
  readonly input?: RunInput;
  readonly trace: readonly TraceStep[];
  /** Steps of the reported (shrunk) schedule, and how many of them were preemptions. */
  readonly steps: number;
  readonly preemptions: number;
  /** Set when the schedule was shrunk: what it was shrunk from. */
  readonly shrunkFrom?: { readonly steps: number; readonly preemptions: number; readonly schedule: string; readonly input?: string };
  /** Shrinking proved that no schedule with fewer preemptions fails this way. */
  readonly minimal?: boolean;
  /** Set when the schedule was shrunk: whether fewer steps were ruled out too, what it cost, and whether the budget cut it short. */
  readonly shrinking?: {
    readonly minimalSteps: boolean;
    readonly cutShort: boolean;
    readonly runs: number;
    readonly durationMs?: number;
    readonly budgetMs?: number;
  };
  /** Where the failure was saved (`.race-hunt/failures/…json`). */
  readonly failureFile?: string;
  /** The bug report written for it (`--report`): Markdown, SVG and HTML. */
  readonly reportFiles?: readonly string[];
  /** The execution (1-based) in which it was found: runs to first violation. */
  readonly run: number;
  /** The strategy (or portfolio member) whose schedule found it. */
  readonly foundBy: string;
  /** A command that replays it. */
  readonly replay: string;
  readonly stack?: string;
  readonly blocked?: readonly BlockedTask[];
  /** Its schedule, run again before it was reported, did not fail the same way: what that run did, and the likely cause. */
  readonly nondeterministic?: Nondeterminism;
}

/** What a bounded systematic search covered; `exhaustive` only if it ran every schedule within `bound`. */
export interface Verification {
  readonly strategy: string;
  /** What the bound counts: "preemptions" or "delays". */
  readonly unit: string;
  readonly bound: number;
  readonly exhaustive: boolean;
  /** The largest bound whose every schedule ran (-1: none), and how many schedules that is. */
  readonly completedBound: number;
  readonly schedules: number;
  /**
   * `dpor`: no bound; `exhaustive` means every schedule was covered, each class of schedules
   * that differ only in the order of independent steps by one run (`schedules` counts the runs).
   */
  readonly unbounded?: true;
  /**
   * Set when CI shards split the search (`--shard` with one scenario): this shard searched part
   * `index` (from 1) of `count` disjoint parts of the schedules, and everything above is about that part.
   */
  readonly part?: { readonly index: number; readonly count: number };
  /**
   * Set for a scenario with an input (`spec.input`): the one input the search explored, as
   * fast-check prints it. Everything above is about that input only.
   */
  readonly input?: string;
}

/** A saved failure whose schedule no longer fits the code: the replay diverged. */
export interface StaleFailure {
  /** The failure file, relative to the working directory. */
  readonly file: string;
  /** Where and how the replay stopped following the schedule. */
  readonly divergence: string;
  /** What changed since it was saved, as far as race-hunt can tell ("likely cause: …"). */
  readonly cause: string;
}

/** A saved failure that could not be replayed as saved, and did not fail as replayed: neither fixed nor stale. */
export interface UnverifiedFailure {
  readonly file: string;
  readonly reason: string;
}

/** What replaying a scenario's saved failures (`.race-hunt/failures/`) before exploring found. */
export interface CorpusReport {
  /** How many of its saved failures were replayed. */
  readonly replayed: number;
  /** The first that still fails: the scenario's reported violation. */
  readonly hit?: string;
  /** Others that still fail (only the first is reported in full). */
  readonly failing: readonly string[];
  /** Their schedules ran to the end and passed: the bug looks fixed. */
  readonly fixed: readonly string[];
  /** Their schedules no longer fit the code. */
  readonly stale: readonly StaleFailure[];
  /** Saved with other `--instrument` patterns than this run's (one set per process), and not failing under this run's. */
  readonly unverified: readonly UnverifiedFailure[];
  /** Fixed and stale files removed (`--prune-corpus`). */
  readonly pruned: readonly string[];
  /** Files named for the scenario that could not be used (corrupt, cut short, another format), one line each; skipped. */
  readonly warnings: readonly string[];
  /** When the hit replayed with other options than the run's (its own): those options. */
  readonly hitOptions?: ReplayOptions;
}

/** One scenario's outcome. `error` means it could not be loaded or run; the message says why. */
export interface ScenarioReport {
  /** The scenario module, relative to the working directory. */
  readonly file: string;
  /** The scenario's name; empty when the file itself could not be loaded. */
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly runs: number;
  /** The strategy explored with (`portfolio`, `random`, `pct`, `sites`, `dfs`, `delay`, or `replay`). */
  readonly strategy: string;
  readonly interleavings: number;
  /** Distinct ordered pairs of await locations seen (which await resumed right after which). */
  readonly awaitPairs: number;
  /** Nothing new appeared for a long stretch: more runs are unlikely to find more. */
  readonly saturated: boolean;
  /** What the systematic strategies covered (dfs, delay, and a portfolio's members). */
  readonly verification: readonly Verification[];
  /**
   * What ran outside race-hunt's control: native awaits (counted in census runs) and real I/O.
   * A verification is no verification while the user's own code ran uninstrumented.
   */
  readonly uncontrolled: UncontrolledReport;
  readonly durationMs: number;
  readonly violation?: ViolationReport;
  /** Set when the scenario's saved failures were replayed first (a `run` without `--no-corpus`). */
  readonly corpus?: CorpusReport;
  readonly error?: string;
  /** Set on an `error` that is race-hunt's own failure (a bug to report), not a problem with the scenario. */
  readonly internal?: true;
  /** Exploring stopped before the run budget was spent: its share of `--time-budget` ran out, or an interrupt. */
  readonly stopped?: 'time' | 'interrupt';
}

/** Everything one `run` or `replay` produced. */
export interface RunReport {
  readonly seed: number;
  readonly scenarios: readonly ScenarioReport[];
  /** Problems with the options that did not stop the run (an `--instrument` pattern that matched nothing). */
  readonly warnings?: readonly string[];
  /** SIGINT or SIGTERM stopped the run: the scenarios are those explored (some partly) before it. */
  readonly interrupted?: true;
  /** Set when the run explored one shard (`--shard i/n`): which, and how many of the scenarios. */
  readonly shard?: ShardSummary;
}

/** The exit code for a report: an error outranks a violation, which outranks success. */
export function exitCodeOf(report: RunReport): 0 | 1 | 2 {
  if (report.scenarios.some((s) => s.status === 'error')) return EXIT.error;
  if (report.scenarios.some((s) => s.status === 'fail')) return EXIT.violation;
  return EXIT.ok;
}
