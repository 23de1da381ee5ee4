import { types } from 'node:util';
import { checkFailureMessage } from '../core/check-result.js';
import { describeError } from './describe-error.js';
import type { ExecutionResult } from '../core/execution-result.js';
import type { Scenario } from '../core/scenario.js';
import type { Violation } from '../core/violation.js';
import type { Chooser, RunPlan } from '../core/strategy.js';
import { AccessRecorder } from './access-recorder.js';
import type { FailureContext } from '../core/internal-failure.js';
import { InternalFailure } from '../core/internal-failure.js';
import { failExecution, internalFailureOf } from './failed-executions.js';
import { guardChooser } from './guarded-chooser.js';
import { setActiveExecution } from './active-execution.js';
import type { Coverage } from './coverage.js';
import type { Phase, PhaseEnd } from './execution.js';
import { Execution, failure } from './execution.js';
import type { Task } from './task.js';
import { effectOfFunction } from './tracking-globals.js';
import type { UncontrolledLog } from './uncontrolled.js';
import { isObjectLike } from '../core/is-object-like.js';
import { beatPhase, beatRunStart, PHASE } from './heartbeat.js';
import type { InputSampler, RunInput } from '../core/run-input.js';
import { inputChoiceOf, runInputOf } from '../core/run-input.js';
import type { Tasks } from '../core/scenario.js';
import type { Schedule } from '../core/schedule.js';
import { tasksFor } from '../core/scenario.js';

/** What every execution of an exploration shares. */
export interface ExecutionSettings {
  readonly maxSteps: number;
  readonly timers: 'fuzz' | 'strict';
  /** Keep the trace of passing executions too (replay needs it). */
  readonly keepTrace: boolean;
  /** Locations in traces are shown relative to this directory. */
  readonly cwd: string;
  /** Hears what ran outside race-hunt's control in each run (native awaits, real I/O). */
  readonly uncontrolled?: UncontrolledLog;
  /** Replaying a run that hung: stop before its hanging step (see `ExecutionConfig.stopBefore`). */
  readonly stopBefore?: { readonly step: number; readonly message: string };
  /** Draws each run's input, for a scenario with one (`spec.input`). */
  readonly input?: InputSampler;
  /** Runs with this input whatever the plan says: shrinking tries candidate inputs this way (their runs are not reported). */
  readonly inputOverride?: { readonly value: unknown };
}

/** 2025-01-01T00:00:00Z: every run starts its virtual clock here, so time is reproducible. */
export const VIRTUAL_EPOCH = 1_735_689_600_000;

/** Setup, checks and teardown are not explored: their steps always take the first option. */
const FIRST: Chooser = { choose: () => 0 };

/**
 * Runs one execution of a scenario under a plan: setup, the tasks under the plan's chooser,
 * the final invariant, teardown. Returns data; never throws for anything the user's code
 * does. Throws {@link InternalFailure} when race-hunt's own code fails (a strategy that
 * throws, a broken invariant of the runtime), with the schedule so far.
 */
export async function runExecution(
  scenario: Scenario,
  plan: RunPlan,
  settings: ExecutionSettings,
  coverage: Coverage,
): Promise<ExecutionResult> {
  const spec = scenario.spec;
  let state: unknown;
  /** The run's input (`spec.input`), drawn before setup from the run's seed. */
  let input: unknown;
  /** Set when `always` returned a promise: the scenario is misdeclared, not violated. */
  let asyncAlways = false;
  const always =
    spec.always === undefined
      ? undefined
      : (): Violation | undefined => {
          try {
            const verdict = spec.always!(state, input);
            if (isPromiseLike(verdict)) {
              asyncAlways = true;
              // Its settling is nobody's finding: a rejection must not surface as unhandled.
              if (types.isPromise(verdict)) verdict.then(undefined, () => {});
              return { kind: 'always', message: 'always returned a promise' };
            }
            const message = checkFailureMessage(verdict, 'always');
            return message === undefined ? undefined : { kind: 'always', message };
          } catch (error) {
            const { message, stack } = describeError(error);
            return { kind: 'always', message, ...(stack === undefined ? {} : { stack }) };
          }
        };
  const recorder = plan.chooser.stepped === undefined ? undefined : new AccessRecorder(isTracked(spec));
  const execution = new Execution(
    {
      maxSteps: settings.maxSteps,
      timers: settings.timers,
      epoch: VIRTUAL_EPOCH,
      seed: plan.seed,
      always,
      ...(recorder === undefined ? {} : { recorder }),
      ...(settings.stopBefore === undefined ? {} : { stopBefore: settings.stopBefore }),
    },
    coverage,
  );
  // A strategy that throws is race-hunt's failure: recorded, the run stopped, and raised below.
  const chooser = guardChooser(plan.chooser, (error) => failExecution(execution, error));
  /** What a report of race-hunt's own failure needs to reproduce this execution. */
  const failureContext = (): FailureContext => ({
    schedule: scheduleOf(),
    strategy: plan.strategy,
  });
  // A plan's input is part of the schedule only for a scenario with an input.
  const planInput = spec.input === undefined ? undefined : plan.input;
  const scheduleOf = (): Schedule =>
    planInput === undefined ? { seed: plan.seed, decisions: execution.decisions() } : { seed: plan.seed, decisions: execution.decisions(), input: planInput };
  const raiseIfFailed = (): void => {
    const failed = internalFailureOf(execution);
    if (failed !== undefined) throw InternalFailure.of(failed.error, failureContext());
  };
  const pseudo = (name: string, body: () => unknown): Task => ({
    index: -1,
    name,
    execution,
    body,
    started: false,
    settled: false,
    abandoned: false,
    resumedAt: 0,
    readyCount: 0,
    lastAwait: undefined,
    segmentCaller: undefined,
  });
  const single = (task: Task): Phase => ({
    tasks: [task],
    chooser: FIRST,
    record: false,
    startsAreChoices: false,
    endWhenTasksSettle: true,
  });
  const finish = (outcome: Outcome): ExecutionResult => {
    const base = {
      schedule: scheduleOf(),
      steps: execution.steps,
      preemptions: execution.preemptions,
      interleaving: execution.interleaving,
      newAwaitPairs: execution.newAwaitPairs,
      status: outcome.status,
    };
    // Most runs pass and keep no trace: no object spreads then (they cost more than a short run's bookkeeping).
    if (outcome.status === 'pass' && !settings.keepTrace) return base as ExecutionResult;
    const trace = { trace: execution.trace(settings.cwd), entities: execution.entities() };
    const shownInput: RunInput | undefined = spec.input === undefined || settings.input === undefined ? undefined : runInputOf(input, settings.input);
    return { ...base, ...trace, ...outcome, ...(shownInput === undefined ? {} : { input: shownInput }) } as ExecutionResult;
  };

  setActiveExecution(execution);
  settings.uncontrolled?.beginRun();
  beatRunStart(coverage.run, plan.seed);
  try {
    // race-hunt's own failure (the runner forgot the sampler), not the scenario's.
    const sampler = spec.input === undefined ? undefined : settings.input;
    if (spec.input !== undefined && sampler === undefined) throw new Error(`race-hunt was given no sampler for the input of scenario "${scenario.name}"`);
    let tasksOfRun: Tasks<unknown>;
    try {
      if (sampler !== undefined) {
        const choice = inputChoiceOf(plan.seed, planInput);
        input = settings.inputOverride !== undefined ? settings.inputOverride.value : sampler.draw(choice.seed, choice.path);
      }
      tasksOfRun = tasksFor(scenario, input);
    } catch (error) {
      // Drawing from the user's arbitrary, or the user's tasks(input), failed: the scenario's error.
      return finish({ status: 'error', error: { phase: 'input', ...describeError(error) } });
    }
    if (spec.setup !== undefined) {
      const setup = pseudo('setup', () => spec.setup!(input));
      let end = execution.runPhase(single(setup));
      if (end instanceof Promise) end = await end;
      raiseIfFailed();
      if (end.kind !== 'done') return finish({ status: 'error', error: { phase: 'setup', ...phaseProblem(end) } });
      state = setup.result;
    }

    const names = taskNamesOf(tasksOfRun);
    const tasks = names.map(
      (name, index): Task => ({
        index,
        name,
        execution,
        body: () => tasksOfRun[name]!(state),
        started: false,
        settled: false,
        abandoned: false,
        resumedAt: 0,
        readyCount: 0,
        lastAwait: undefined,
        segmentCaller: undefined,
      }),
    );
    beatPhase(PHASE.tasks);
    const main = await execution.runPhase({
      tasks,
      chooser,
      record: true,
      startsAreChoices: true,
      endWhenTasksSettle: false,
    });
    raiseIfFailed();

    let outcome: Outcome = { status: 'pass' };
    if (asyncAlways) {
      outcome = {
        status: 'error',
        error: { phase: 'always', message: 'always returned a promise, but it runs after every step and must be synchronous' },
      };
    } else if (main.kind === 'diverged') {
      outcome = { status: 'diverged', divergence: { decision: main.decision, message: main.message } };
    } else if (main.kind !== 'done') {
      outcome = { status: 'violation', violation: toViolation(main) };
    } else if (spec.invariant !== undefined) {
      beatPhase(PHASE.check);
      const check = pseudo('invariant', () => spec.invariant!(state, input));
      let end = execution.runPhase(single(check));
      if (end instanceof Promise) end = await end;
      raiseIfFailed();
      const violation = invariantViolation(end, check);
      if (violation !== undefined) outcome = { status: 'violation', violation };
    }

    if (spec.teardown !== undefined) {
      beatPhase(PHASE.teardown);
      const teardown = pseudo('teardown', () => spec.teardown!(state, input));
      let end = execution.runPhase(single(teardown));
      if (end instanceof Promise) end = await end;
      raiseIfFailed();
      if (end.kind !== 'done') return finish({ status: 'error', error: { phase: 'teardown', ...phaseProblem(end) } });
    }
    return finish(outcome);
  } catch (error) {
    // Nothing the user's code does throws out of here (it is caught where it runs): this is race-hunt's.
    throw InternalFailure.of(error, failureContext());
  } finally {
    execution.finish();
    beatPhase(PHASE.idle);
    settings.uncontrolled?.endRun();
    setActiveExecution(undefined);
  }
}

type Outcome =
  | { status: 'pass' }
  | { status: 'violation'; violation: Violation }
  | { status: 'diverged'; divergence: { decision: number; message: string } }
  | { status: 'error'; error: { phase: 'input' | 'setup' | 'teardown' | 'always'; message: string; stack?: string } };

/** A finding in the tasks' phase, as a violation. */
function toViolation(end: Exclude<PhaseEnd, { kind: 'done' } | { kind: 'diverged' }>): Violation {
  if (end.kind === 'violation') return end.violation;
  return failure(`task ${end.task.name}`, end.error);
}

/** The final check's verdict: it threw, returned false or a string, or never finished. */
function invariantViolation(end: PhaseEnd, check: Task): Violation | undefined {
  if (end.kind === 'task-failed') {
    const { message, stack } = describeError(end.error);
    return { kind: 'invariant', message, ...(stack === undefined ? {} : { stack }) };
  }
  if (end.kind !== 'done') return { kind: 'invariant', message: `the invariant did not finish: ${phaseProblem(end).message}` };
  const message = checkFailureMessage(check.result, 'invariant');
  return message === undefined ? undefined : { kind: 'invariant', message };
}

/** Why a setup or teardown phase did not finish. */
function phaseProblem(end: Exclude<PhaseEnd, { kind: 'done' }>): { message: string; stack?: string } {
  if (end.kind === 'task-failed') return describeError(end.error);
  if (end.kind === 'violation') return { message: end.violation.message, ...(end.violation.stack === undefined ? {} : { stack: end.violation.stack }) };
  return { message: end.message };
}

const trackedSpecs = new WeakMap<object, boolean>();

/**
 * Whether the scenario's tasks and `always` check were loaded with access tracking (a
 * module loaded earlier in the process without it stays so): if not, partial-order
 * reduction must treat every step as touching everything.
 */
function isTracked(spec: Scenario['spec']): boolean {
  let tracked = trackedSpecs.get(spec);
  if (tracked === undefined) {
    // A function of the input makes the tasks: their code is its code's file's.
    const tasks = typeof spec.tasks === 'function' ? [spec.tasks] : Object.values(spec.tasks);
    const functions = [...tasks, ...(spec.always === undefined ? [] : [spec.always])];
    tracked = functions.every((fn) => effectOfFunction(fn as (...args: unknown[]) => unknown) === 'user');
    trackedSpecs.set(spec, tracked);
  }
  return tracked;
}

const taskNames = new WeakMap<object, readonly string[]>();

/** The scenario's task names, in declaration order (listed once per scenario, not once per run). */
function taskNamesOf(tasks: object): readonly string[] {
  let names = taskNames.get(tasks);
  if (names === undefined) {
    names = Object.keys(tasks);
    taskNames.set(tasks, names);
  }
  return names;
}

/** A promise or any thenable: what a check returns when it is async. */
function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  if (types.isPromise(value)) return true;
  return isObjectLike(value) && typeof (value as { then?: unknown }).then === 'function';
}
