import type { ExploreJob, RunSettings, ShrinkJob, StrategySpec } from '../api/scenario-runner.js';
import type { ErrorCode } from '../core/errors.js';
import type { FailureContext } from '../core/internal-failure.js';
import type { Schedule } from '../core/schedule.js';
import type { LoadedPackage } from '../instrument/loaded-modules.js';

/** What a worker is started with (its `workerData`). */
export interface WorkerSetup {
  readonly cwd: string;
  readonly instrument: readonly string[];
  /** Load with access tracking (dpor). */
  readonly track: boolean;
  readonly heartbeat: SharedArrayBuffer;
}

/** Which scenario a job is about: its module (absolute, and as shown) and name. */
export interface ScenarioRef {
  readonly path: string;
  readonly shown: string;
  readonly name: string;
}

/** A job for a worker. Plain data; functions (progress) become messages. */
export type Job =
  | { readonly kind: 'list'; readonly path: string; readonly shown: string }
  | {
      readonly kind: 'explore';
      readonly scenario: ScenarioRef;
      readonly strategy: StrategySpec;
      readonly runs: number;
      readonly settings: RunSettings;
      readonly censusEveryRun: boolean;
      readonly deadline?: number;
      readonly worker: number;
      readonly workers: number;
      /** Count the first run's native awaits (one worker of the exploration does). */
      readonly censusFirstRun: boolean;
      /** One cell: runs from this index on are not needed. Lowered by whichever worker finds a failure, or by the coordinator to stop. */
      readonly bound: SharedArrayBuffer;
    }
  | { readonly kind: 'replay'; readonly scenario: ScenarioRef; readonly schedule: Schedule; readonly settings: RunSettings; readonly census: boolean; readonly stopBefore?: { readonly step: number; readonly message: string } }
  | { readonly kind: 'shrink'; readonly scenario: ScenarioRef; readonly failure: ShrinkJob['failure']; readonly settings: RunSettings; readonly timeMs: number };

export type JobKind = Job['kind'];

/** What a `list` job returns: the module's scenarios, and the packages the worker has seen load so far. */
export interface ListResult {
  readonly names: readonly string[];
  readonly packages: readonly LoadedPackage[];
}

/** A job's failure, as data: race-hunt's own (internal) or one it can name (a RaceHuntError). */
export interface JobError {
  readonly internal: boolean;
  readonly code?: ErrorCode;
  readonly message: string;
  readonly stack?: string;
  readonly context?: FailureContext;
}

/** What a worker posts. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly id: number; readonly runs: number; readonly interleavings: number; readonly elapsedMs: number }
  | { readonly type: 'shrink-progress'; readonly id: number; readonly runs: number; readonly steps: number; readonly preemptions: number }
  | { readonly type: 'done'; readonly id: number; readonly result: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly error: JobError };

/** What the coordinator posts. */
export interface JobMessage {
  readonly id: number;
  readonly job: Job;
}

export type ExploreJobOptions = Omit<ExploreJob, 'onProgress'>;
