import { CALIBRATION_RUNS, type RunSlice } from '../core/explore.js';
import type { Scenario } from '../core/scenario.js';
import type { Schedule } from '../core/schedule.js';
import { exploreScenario } from './explore-scenario.js';
import { real } from '../runtime/real-globals.js';
import type { ExecutionSettings } from '../runtime/run-execution.js';
import { UncontrolledLog } from '../runtime/uncontrolled.js';
import type { InputSampler } from '../core/run-input.js';
import { inputChoiceOf } from '../core/run-input.js';
import type { SearchVerdict } from '../strategies/bounded-search.js';
import { inputSamplerFor } from '../loading/input-sampler.js';
import { shrinkScenarioFailure } from './shrink-scenario.js';
import type { BoundedStrategy } from '../strategies/bounded-search.js';
import { createStrategy } from '../strategies/registry.js';
import { replayStrategy } from '../strategies/replay.js';
import type { Strategy } from '../core/strategy.js';
import type { RunStop } from '../workers/run-stop.js';
import type { ExploreJob, ExploreOutcome, ReplayOutcome, RunSettings, ScenarioRunner, ShrinkJob, StrategySpec } from './scenario-runner.js';

/** A strategy built from its spec, with what its systematic members covered. */
function strategyOf(spec: StrategySpec): { strategy: Strategy; verdicts: () => ReturnType<BoundedStrategy['verdict']>[] } {
  if (spec.name === 'replay') return { strategy: replayStrategy(spec.schedule), verdicts: () => [] };
  return createStrategy(spec.name, spec.seed, spec.parameters, spec.part);
}

function executionSettings(settings: RunSettings, input: InputSampler | undefined, stopBefore?: ExecutionSettings['stopBefore']): ExecutionSettings {
  return { ...settings, ...(input === undefined ? {} : { input }), ...(stopBefore === undefined ? {} : { stopBefore }) };
}

/** A worker's share of an exploration: its slice, and whether it counts the first run's native awaits. */
export interface LocalShare {
  readonly slice: RunSlice;
  readonly censusFirstRun: boolean;
}

/** One worker's share of an exploration, with what merging the shares needs. */
export interface ShareResult {
  readonly outcome: ExploreOutcome;
  /** Runs executed here. */
  readonly executed: number;
  /** Interleaving hash → index of the first run here that produced it. */
  readonly interleavingsAt: ReadonlyMap<number, number>;
  /** Await pairs by location text, with the index of the first run here that saw each. */
  readonly awaitPairsAt: ReadonlyArray<readonly [string, string, number]>;
}

/**
 * Runs a loaded scenario's executions in this thread. The caller holds an open runtime
 * session. A run that never returns hangs this thread: the CLI runs this inside workers.
 */
export function localRunner(scenario: Scenario, stop?: RunStop): ScenarioRunner & {
  exploreShare(job: ExploreJob, share: LocalShare): Promise<ShareResult>;
  replayUntil(schedule: Schedule, settings: RunSettings, stopBefore: NonNullable<ExecutionSettings['stopBefore']>): Promise<ReplayOutcome>;
} {
  const replay = async (schedule: Schedule, settings: RunSettings, census = false, stopBefore?: ExecutionSettings['stopBefore']): Promise<ReplayOutcome> => {
    const uncontrolled = new UncontrolledLog(settings.cwd, census);
    uncontrolled.censusEveryRun = census;
    let trace: ReplayOutcome['trace'];
    const replayed = await exploreScenario({
      scenario,
      strategy: replayStrategy(schedule),
      runs: 1,
      settings: executionSettings({ ...settings, keepTrace: true }, await samplerFor(scenario, settings.cwd), stopBefore),
      uncontrolled,
      onExecuted: (result) => (trace = result.trace),
    });
    const result = replayed.finding?.result;
    return { ...(result === undefined ? {} : { result }), ...(trace === undefined ? {} : { trace }), uncontrolled: uncontrolled.report(), durationMs: replayed.durationMs };
  };
  const exploreShare = (job: ExploreJob, share?: LocalShare): Promise<ShareResult> => exploreWith(scenario, job, share);
  return {
    explore: async (job) => {
      if (stop === undefined) return (await exploreShare(job)).outcome;
      const bound = new Int32Array(new SharedArrayBuffer(4));
      bound[0] = 2 ** 31 - 1;
      const release = stop.watch(bound);
      try {
        const split = job.share ?? { index: 0, count: 1 };
        const share = await exploreShare(job, { slice: { worker: split.index, workers: split.count, bound: () => Atomics.load(bound, 0) }, censusFirstRun: split.index === 0 });
        return stop.interrupted ? { ...share.outcome, stopped: 'interrupt' } : share.outcome;
      } finally {
        release();
      }
    },
    exploreShare,
    replay: (schedule, settings, census) => replay(schedule, settings, census),
    replayUntil: (schedule, settings, stopBefore) => replay(schedule, settings, false, stopBefore),
    shrink: async (job: ShrinkJob) =>
      shrinkScenarioFailure({
        scenario,
        failure: job.failure,
        settings: executionSettings(job.settings, await samplerFor(scenario, job.settings.cwd)),
        timeMs: job.timeMs,
        ...(job.onProgress === undefined ? {} : { onProgress: (runs, best) => job.onProgress!(runs, { steps: best.steps, preemptions: best.preemptions }) }),
      }),
  };
}

async function exploreWith(scenario: Scenario, job: ExploreJob, share: LocalShare | undefined): Promise<ShareResult> {
  const { strategy, verdicts } = strategyOf(job.strategy);
  // A worker but the first repeats the calibration runs, whose real I/O the first counts.
  const repeated = share !== undefined && share.slice.worker !== 0 ? CALIBRATION_RUNS : 0;
  const uncontrolled = new UncontrolledLog(job.settings.cwd, share?.censusFirstRun ?? true, repeated);
  if (job.censusEveryRun === true) uncontrolled.censusEveryRun = true;
  const deadline = job.deadline;
  const slice: RunSlice | undefined =
    share?.slice ?? (deadline === undefined ? undefined : { worker: 0, workers: 1 });
  let stopped: ExploreOutcome['stopped'];
  const bounded: RunSlice | undefined =
    slice === undefined
      ? undefined
      : {
          ...slice,
          bound: () => {
            if (deadline !== undefined && Date.now() > deadline) {
              stopped = 'time';
              return 0;
            }
            return slice.bound?.() ?? Number.MAX_SAFE_INTEGER;
          },
        };
  const sampler = await samplerFor(scenario, job.settings.cwd);
  const started = real.performanceNow();
  const result = await exploreScenario({
    scenario,
    strategy,
    runs: job.runs,
    settings: executionSettings(job.settings, sampler),
    uncontrolled,
    ...(bounded === undefined ? {} : { slice: bounded }),
    ...(job.onProgress === undefined
      ? {}
      : { onProgress: (runs, coverage, elapsedMs) => job.onProgress!({ runs, interleavings: coverage.interleavings, elapsedMs }) }),
  });
  const outcome: ExploreOutcome = {
    runs: result.runs,
    interleavings: result.interleavings,
    awaitPairs: result.awaitPairs,
    lastNewAt: result.lastNewAt,
    exhausted: result.exhausted,
    ...(result.finding === undefined ? {} : { finding: result.finding }),
    durationMs: real.performanceNow() - started,
    verdicts: verdictsFor(verdicts(), sampler),
    uncontrolled: uncontrolled.report(),
    ...(stopped === undefined ? {} : { stopped }),
  };
  return { outcome, interleavingsAt: result.interleavingsAt, awaitPairsAt: result.awaitPairsAt, executed: result.executed };
}

const samplers = new WeakMap<Scenario, Promise<InputSampler | undefined>>();

/** The scenario's input sampler (with the user's fast-check), loaded once per scenario. */
function samplerFor(scenario: Scenario, cwd: string): Promise<InputSampler | undefined> {
  if (scenario.spec.input === undefined) return Promise.resolve(undefined);
  let sampler = samplers.get(scenario);
  if (sampler === undefined) {
    sampler = inputSamplerFor(scenario, cwd);
    samplers.set(scenario, sampler);
  }
  return sampler;
}

/** A systematic search explores one input, drawn from its seed: its verdict names it. */
function verdictsFor(verdicts: readonly SearchVerdict[], sampler: InputSampler | undefined): SearchVerdict[] {
  if (sampler === undefined) return [...verdicts];
  return verdicts.map((v) => {
    if (v.seed === undefined) return v;
    const choice = inputChoiceOf(v.seed, undefined);
    return { ...v, input: sampler.show(sampler.draw(choice.seed, choice.path)) };
  });
}
