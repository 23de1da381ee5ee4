import { RaceHuntError } from '../core/errors.js';
import type { ExecutionResult } from '../core/execution-result.js';
import { InternalFailure } from '../core/internal-failure.js';
import type { Share } from '../core/merge-shares.js';
import { mergeShares } from '../core/merge-shares.js';
import type { Schedule } from '../core/schedule.js';
import type { ShrinkResult } from '../search/shrink.js';
import { mergeUncontrolled, NOTHING_UNCONTROLLED, realIoWithin } from '../core/uncontrolled.js';
import { SPLITS_RUNS } from '../strategies/registry.js';
import type { HeartbeatReading } from '../runtime/heartbeat.js';
import { PHASE } from '../runtime/heartbeat.js';
import type { ShareResult } from './local-runner.js';
import type { ExploreJob, ExploreOutcome, ReplayOutcome, RunSettings, ScenarioRunner, ShrinkJob } from './scenario-runner.js';
import { JobFailed, WorkerLost } from '../workers/pool.js';
import type { WorkerPool } from '../workers/pool.js';
import type { ScenarioRef, WorkerMessage } from '../workers/protocol.js';
import type { RunStop } from '../workers/run-stop.js';
import type { ViolationKind } from '../core/violation.js';


const NO_BOUND = 2 ** 31 - 1;

type ShareData = ShareResult & { readonly calibrationExecuted: number };

/** A worker job's failure as the error the caller would have seen in one thread. */
function rethrown(error: unknown): never {
  if (error instanceof JobFailed) {
    const e = error.error;
    if (!e.internal) throw new RaceHuntError(e.code ?? 'LOAD_FAILED', e.message);
    const cause = new Error(e.message);
    if (e.stack !== undefined) cause.stack = e.stack;
    throw InternalFailure.of(cause, e.context ?? {});
  }
  throw error;
}

const PHASE_NAMES: Record<number, string> = {
  [PHASE.setup]: 'in setup',
  [PHASE.tasks]: 'in the tasks',
  [PHASE.check]: 'in the invariant',
  [PHASE.teardown]: 'in teardown',
  [PHASE.loading]: 'while loading the module',
};

/**
 * Runs one scenario's executions in a pool of workers. An exploration with a splittable
 * strategy is shared between every worker (results the same for any number of them); a run
 * that hangs or kills its worker becomes a `timeout` or `crash` violation, its schedule read
 * from the worker's heartbeat and its trace from a replay that stops before the step that
 * never finished.
 */
export function pooledRunner(pool: WorkerPool, scenario: ScenarioRef, stop: RunStop, runTimeoutMs: number): ScenarioRunner {
  /** A run that never returned, as a finding. */
  const lostRun = async (lost: WorkerLost, settings: RunSettings): Promise<Exclude<ExecutionResult, { status: 'pass' }>> => {
    const { reading } = lost;
    const kind: ViolationKind = lost.reason === 'timeout' ? 'timeout' : 'crash';
    const where = PHASE_NAMES[reading.phase] ?? '';
    const message =
      kind === 'timeout'
        ? `the run did not finish within ${`${runTimeoutMs / 1000} s`} (--run-timeout) ${where}${reading.phase === PHASE.tasks ? `, at step ${reading.steps}` : ''}: a synchronous loop that never ends, or raise --run-timeout; its worker was stopped`
        : `the run ended its worker ${where}${reading.phase === PHASE.tasks ? ` at step ${reading.steps}` : ''}: ${lost.message}`;
    const schedule: Schedule = { seed: reading.seed, decisions: reading.decisions ?? [] };
    const bare = { status: 'violation' as const, violation: { kind, message }, schedule, steps: reading.steps, preemptions: 0, interleaving: 0, newAwaitPairs: 0, trace: [], entities: [] };
    if (reading.phase !== PHASE.tasks || reading.decisions === undefined || reading.steps < 1) return bare;
    try {
      const replayed = await pool.submit<ReplayOutcome>({ kind: 'replay', scenario, schedule, settings: { ...settings, keepTrace: true }, census: false, stopBefore: { step: reading.steps, message } });
      const result = replayed.result;
      // The step that never finished counts: it is the trace's last.
      if (result?.status === 'violation' && result.violation.kind === 'timeout') return { ...result, steps: reading.steps, violation: { kind, message } };
    } catch {
      // The replay hung or died too: report what the heartbeat told.
    }
    return bare;
  };

  return {
    async explore(job: ExploreJob): Promise<ExploreOutcome> {
      const started = Date.now();
      const workers = job.strategy.name !== 'replay' && SPLITS_RUNS.has(job.strategy.name) ? pool.size : 1;
      const boundBuffer = new SharedArrayBuffer(4);
      const bound = new Int32Array(boundBuffer);
      bound[0] = NO_BOUND;
      const release = stop.watch(bound);
      const progress = new Array<{ runs: number; interleavings: number }>(workers).fill({ runs: 0, interleavings: 0 });
      const lowerBound = (value: number): void => {
        if (Atomics.load(bound, 0) > value) Atomics.store(bound, 0, value);
      };
      let lostFinding: { share: Share; lost: WorkerLost } | undefined;
      try {
        const jobs = Array.from({ length: workers }, async (_, worker): Promise<Share | undefined> => {
          const onMessage = (message: WorkerMessage): void => {
            if (message.type !== 'progress') return;
            progress[worker] = { runs: message.runs, interleavings: message.interleavings };
            job.onProgress?.({
              runs: progress.reduce((sum, p) => sum + p.runs, 0),
              interleavings: Math.max(...progress.map((p) => p.interleavings)),
              elapsedMs: Date.now() - started,
            });
          };
          try {
            const data = await pool.submit<ShareData>(
              {
                kind: 'explore',
                scenario,
                strategy: job.strategy,
                runs: job.runs,
                settings: job.settings,
                censusEveryRun: job.censusEveryRun ?? false,
                ...(job.deadline === undefined ? {} : { deadline: job.deadline }),
                // Shards splitting the runs: this shard's workers are its among all shards' workers.
                worker: (job.share?.index ?? 0) * workers + worker,
                workers: (job.share?.count ?? 1) * workers,
                censusFirstRun: worker === 0,
                bound: boundBuffer,
              },
              onMessage,
            );
            return { worker, result: data.outcome, executed: data.executed, calibrationExecuted: data.calibrationExecuted, interleavingsAt: data.interleavingsAt, awaitPairsAt: data.awaitPairsAt, outcome: data.outcome } as Share & { outcome: ExploreOutcome };
          } catch (error) {
            // race-hunt's own failure in one share ends the exploration: the others stop at their next run.
            if (!(error instanceof WorkerLost)) {
              Atomics.store(bound, 0, 0);
              rethrown(error);
            }
            if (error.reason === 'closed' || error.reading.phase === PHASE.loading) {
              if (error.reading.phase === PHASE.loading && error.reason !== 'closed') {
                throw new RaceHuntError('LOAD_FAILED', `${scenario.shown} did not finish loading: ${error.message}. Does the module loop forever at its top level?`);
              }
              return undefined;
            }
            // The lost run is a finding at its index: the others need not go past it.
            const index = error.reading.index;
            lowerBound(index + 1);
            const share: Share = {
              worker,
              result: { runs: 0, interleavings: 0, awaitPairs: 0, lastNewAt: 0, exhausted: false },
              executed: 0,
              calibrationExecuted: 0,
              interleavingsAt: new Map(),
              awaitPairsAt: [],
            };
            if (lostFinding === undefined || lostFinding.lost.reading.index > index) lostFinding = { share, lost: error };
            return share;
          }
        });
        let shares: Array<Share | undefined>;
        try {
          shares = await Promise.all(jobs);
        } catch (error) {
          // A failed exploration leaves no job of it behind to run into the next scenario's.
          await Promise.allSettled(jobs);
          throw error;
        }
        const present = shares.filter((s): s is Share => s !== undefined);
        if (lostFinding !== undefined) {
          const result = await lostRun(lostFinding.lost, job.settings);
          const index = lostFinding.lost.reading.index;
          present.splice(present.indexOf(lostFinding.share), 1, {
            ...lostFinding.share,
            result: { ...lostFinding.share.result, finding: { run: index + 1, strategy: job.strategy.name, result } },
          });
        }
        // A lost run's share has no outcome: its worker died with it.
        const outcomeOf = (share: Share | undefined): ExploreOutcome | undefined => (share as (Share & { outcome?: ExploreOutcome }) | undefined)?.outcome;
        const outcomes = present.map(outcomeOf).filter((o): o is ExploreOutcome => o !== undefined);
        const stopped = stop.interrupted ? 'interrupt' : outcomes.some((o) => o.stopped === 'time') ? 'time' : undefined;
        const merged = mergeShares(present, stopped === undefined && present.length === workers);
        // Worker 0 ran the systematic members: their verdicts are its.
        const first = outcomeOf(present.find((s) => s.worker === 0));
        return {
          ...merged,
          durationMs: Date.now() - started,
          verdicts: first?.verdicts ?? [],
          uncontrolled: realIoWithin(outcomes.map((o) => o.uncontrolled).reduce(mergeUncontrolled, NOTHING_UNCONTROLLED), merged.runs),
          ...(stopped === undefined ? {} : { stopped }),
        };
      } finally {
        release();
      }
    },

    async replay(schedule, settings, census = false): Promise<ReplayOutcome> {
      const started = Date.now();
      try {
        return await pool.submit<ReplayOutcome>({ kind: 'replay', scenario, schedule, settings, census });
      } catch (error) {
        if (!(error instanceof WorkerLost) || error.reason === 'closed') rethrown(error);
        return { result: await lostRun(error, settings), uncontrolled: NOTHING_UNCONTROLLED, durationMs: Date.now() - started };
      }
    },

    async shrink(job: ShrinkJob): Promise<ShrinkResult> {
      const onMessage = (message: WorkerMessage): void => {
        if (message.type === 'shrink-progress') job.onProgress?.(message.runs, message);
      };
      try {
        return await pool.submit<ShrinkResult>({ kind: 'shrink', scenario, failure: job.failure, settings: job.settings, timeMs: job.timeMs }, onMessage);
      } catch (error) {
        if (!(error instanceof WorkerLost)) rethrown(error);
        // A schedule tried while shrinking hung or crashed, or race-hunt is stopping: keep the failure as found.
        const { steps, preemptions } = job.failure;
        return { failure: job.failure, original: { steps, preemptions }, runs: 0, minimal: false, minimalSteps: false, cutShort: true };
      }
    },
  };
}

export type { HeartbeatReading };
