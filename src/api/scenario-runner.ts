import type { ExplorationResult } from '../core/explore.js';
import type { ExecutionResult } from '../core/execution-result.js';
import type { Schedule } from '../core/schedule.js';
import type { TraceStep } from '../core/step.js';
import type { Failure, ShrinkResult } from '../search/shrink.js';
import type { UncontrolledReport } from '../core/uncontrolled.js';
import type { SearchPart, SearchVerdict } from '../strategies/bounded-search.js';
import type { StrategyName, StrategyParameters } from '../strategies/registry.js';

/** What explores: a named strategy from a seed, or the replay of one schedule. Plain data, so a worker can receive it. */
export type StrategySpec =
  | { readonly name: StrategyName; readonly seed: number; readonly parameters: StrategyParameters; readonly part?: SearchPart }
  | { readonly name: 'replay'; readonly schedule: Schedule };

/** The options that change what an execution does, as plain data. */
export interface RunSettings {
  readonly maxSteps: number;
  readonly timers: 'fuzz' | 'strict';
  readonly cwd: string;
  /** Keep the trace of passing runs too (a replay reports one whatever its outcome). */
  readonly keepTrace: boolean;
}

/** Progress of an exploration: runs so far (over every worker), distinct interleavings, time. */
export interface ExploreProgress {
  readonly runs: number;
  readonly interleavings: number;
  readonly elapsedMs: number;
}

export interface ExploreJob {
  readonly strategy: StrategySpec;
  readonly runs: number;
  readonly settings: RunSettings;
  /** Count every run's native awaits (replays of a schedule to report), not only the first run's. */
  readonly censusEveryRun?: boolean;
  /** Wall time (ms since the epoch) after which no new run starts: a share of `--time-budget`. */
  readonly deadline?: number;
  /**
   * Shards splitting one scenario's runs: this job runs shard `index` (from 0) of `count`, as
   * if its workers were `index`'s among `count` times as many (see `RunSlice`).
   */
  readonly share?: { readonly index: number; readonly count: number };
  readonly onProgress?: (progress: ExploreProgress) => void;
}

/** An exploration's outcome, as data: what it found and covered, and what ran outside race-hunt's control. */
export interface ExploreOutcome extends ExplorationResult {
  readonly durationMs: number;
  /** What the systematic strategies (and portfolio members) covered. */
  readonly verdicts: readonly SearchVerdict[];
  readonly uncontrolled: UncontrolledReport;
  /** The exploration was stopped before its budget was spent (time budget, interrupt): `runs` is what ran. */
  readonly stopped?: 'time' | 'interrupt';
}

export interface ShrinkJob {
  readonly failure: Failure;
  readonly settings: RunSettings;
  readonly timeMs: number;
  readonly onProgress?: (runs: number, best: { readonly steps: number; readonly preemptions: number }) => void;
}

/**
 * Runs one scenario's executions: in this thread (`local-runner.ts`) or in worker threads
 * (`pooled-runner.ts`), which survive a run that hangs or exits. Findings are data; race-hunt's
 * own failure is thrown as an `InternalFailure`, a problem with the scenario as a `RaceHuntError`.
 */
export interface ScenarioRunner {
  explore(job: ExploreJob): Promise<ExploreOutcome>;
  /** One run under `schedule`, its trace kept; `result` is absent when the run passed. */
  replay(schedule: Schedule, settings: RunSettings, census?: boolean): Promise<ReplayOutcome>;
  shrink(job: ShrinkJob): Promise<ShrinkResult>;
}

/** What one replayed run did. */
export interface ReplayOutcome {
  readonly result?: Exclude<ExecutionResult, { status: 'pass' }>;
  /** The run's trace, whatever its outcome. */
  readonly trace?: readonly TraceStep[];
  readonly uncontrolled: UncontrolledReport;
  readonly durationMs: number;
}
