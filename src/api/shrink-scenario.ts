import type { InputChoice } from '../core/schedule.js';
import { deriveSeed } from '../core/rng.js';
import { inputChoiceOf } from '../core/run-input.js';
import type { Scenario } from '../core/scenario.js';
import type { ExecutionResult } from '../core/execution-result.js';
import type { Chooser } from '../core/strategy.js';
import type { Failure, ShrinkResult } from '../search/shrink.js';
import { shrinkFailure } from '../search/shrink.js';
import { newCoverage } from '../runtime/coverage.js';
import { real } from '../runtime/real-globals.js';
import type { ExecutionSettings } from '../runtime/run-execution.js';
import { runExecution } from '../runtime/run-execution.js';
import { randomStrategy } from '../strategies/random.js';
import { replayChooser } from '../strategies/replay.js';

/**
 * Runs tried for each smaller input while shrinking one: the failure's own schedule first, then
 * random schedules. A smaller input that none of them fails is kept out, not proven to pass.
 */
export const INPUT_CANDIDATE_RUNS = 200;
/** Rounds of input shrinking, each followed by schedule shrinking, at most. */
const ROUNDS = 3;

/**
 * Shrinks one found failure by re-running its scenario: the schedule (fewest preemptions, then
 * fewest steps), and for a scenario with an input, the input too, with the arbitrary's own
 * shrinker, alternating until neither shrinks. The caller must hold an open runtime session.
 */
export async function shrinkScenarioFailure(request: {
  readonly scenario: Scenario;
  readonly failure: Failure;
  readonly settings: ExecutionSettings;
  readonly timeMs: number;
  readonly onProgress?: (runs: number, best: Failure) => void;
}): Promise<ShrinkResult> {
  const deadline = real.performanceNow() + request.timeMs;
  const outOfTime = (): boolean => real.performanceNow() > deadline;
  const coverage = newCoverage();
  const settings = { ...request.settings, keepTrace: false };
  const execute = (plan: { seed: number; input?: InputChoice }, chooser: Chooser, runSettings: ExecutionSettings = settings): Promise<ExecutionResult> =>
    runExecution(request.scenario, { ...plan, chooser, strategy: 'shrink' }, runSettings, coverage);

  const shrinkSchedule = (failure: Failure): Promise<ShrinkResult> =>
    shrinkFailure(failure, {
      execute: (chooser, maxSteps) =>
        execute(
          { seed: failure.schedule.seed, ...(failure.schedule.input === undefined ? {} : { input: failure.schedule.input }) },
          chooser,
          // Stopped before the step after `maxSteps`: it ends as a `timeout`, which fails no search for a shorter one.
          maxSteps === undefined ? settings : { ...settings, stopBefore: { step: maxSteps + 1, message: `shrinking: stopped after ${maxSteps} steps` } },
        ),
      outOfTime,
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    });

  let result = await shrinkSchedule(request.failure);
  const sampler = request.settings.input;
  if (sampler === undefined || request.scenario.spec.input === undefined) return result;

  let runs = result.runs;
  const kind = request.failure.violation.kind;
  for (let round = 0; round < ROUNDS && !outOfTime(); round++) {
    const best = result.failure;
    const choice = inputChoiceOf(best.schedule.seed, best.schedule.input);
    // The failure found for the last smaller input that failed: fast-check's counterexample.
    let found: Failure | undefined;
    const fails = async (value: unknown): Promise<boolean> => {
      if (outOfTime()) return false;
      const failure = await failureWithInput(best, kind, (plan, chooser) => {
        runs++;
        return execute(plan, chooser, { ...settings, inputOverride: { value } });
      });
      if (failure !== undefined) found = failure;
      return failure !== undefined;
    };
    const shrunk = await sampler.shrink(choice.seed, choice.path, fails);
    if (shrunk === undefined || found === undefined || samePath(shrunk.path, choice.path)) break;
    // Run its schedule again with the input named by its path, as a replay of the token will.
    const input: InputChoice = { seed: choice.seed, path: shrunk.path };
    runs++;
    const again = await execute({ seed: found.schedule.seed, input }, replayChooser(found.schedule));
    if (!isFailure(again, kind)) break;
    const next = await shrinkSchedule(again);
    runs += next.runs;
    result = { ...next, original: result.original };
  }
  return { ...result, runs };
}

function samePath(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((step, i) => step === b[i]);
}

function isFailure(result: ExecutionResult, kind: string): result is Failure {
  return result.status === 'violation' && result.violation.kind === kind && result.trace !== undefined && result.entities !== undefined;
}

/**
 * A failure of the same kind with the input `execute` runs with, if a brief search finds one: the best failure's
 * schedule (which may no longer fit the input's tasks), then random schedules.
 */
async function failureWithInput(best: Failure, kind: string, execute: (plan: { seed: number }, chooser: Chooser) => Promise<ExecutionResult>): Promise<Failure | undefined> {
  const replayed = await execute({ seed: best.schedule.seed }, replayChooser(best.schedule));
  if (isFailure(replayed, kind)) return replayed;
  const strategy = randomStrategy(deriveSeed(best.schedule.seed, INPUT_CANDIDATE_RUNS));
  for (let run = 1; run < INPUT_CANDIDATE_RUNS; run++) {
    const plan = strategy.nextRun();
    if (plan === undefined) break;
    const result = await execute({ seed: plan.seed }, plan.chooser);
    if (isFailure(result, kind)) return result;
  }
  return undefined;
}
