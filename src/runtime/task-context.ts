import { promiseHooks } from 'node:v8';
import type { Task } from './task.js';

/**
 * Which task is running right now, propagated along promise chains with V8's promise hooks:
 * a promise remembers the task that created it, and a reaction runs as that task. This
 * labels steps correctly even when one task's code runs because another task released a
 * lock (measured: "the task granted last" mislabels such steps), and costs less than
 * AsyncLocalStorage on Node 20.
 */
const TASK = Symbol('race-hunt.task');

type Tagged = Promise<unknown> & { [TASK]?: Task };

let current: Task | undefined;
/**
 * The task of the step in progress, for code that runs outside any promise reaction of a task:
 * callbacks of real I/O and of Node's own deferred work (a stream's internal ticks). Such
 * code is the step's work (or, for I/O, work a task started): its timers and awaits must stay
 * under the scheduler rather than escape to real time. Set by the execution while it runs.
 */
let ambient: Task | undefined;
let stopHooks: (() => void) | undefined;
/** Called once, right after the next promise reaction (a microtask) has run. */
let afterNextReaction: (() => void) | undefined;
/** Reactions to let pass before `afterNextReaction` runs (1 when asked from within a reaction). */
let reactionsToSkip = 0;
/** Promise reactions run so far (a counter that wraps harmlessly): how a probe tells whether others ran before it. */
let reactionsRun = 0;

/** How many promise reactions (jobs of any promise, thenable jobs included) have started so far. */
export function reactionsSoFar(): number {
  return reactionsRun;
}

/** The task whose code is running, if any (see `ambient` for code outside any task's reactions). */
export function currentTask(): Task | undefined {
  return current ?? ambient;
}

/** Sets the task that code running outside any task's reactions belongs to (undefined: none). */
export function setAmbientTask(task: Task | undefined): void {
  ambient = task;
}

/** The task that created `promise`, if any (attributes unhandled rejections to their run). */
export function taskOfPromise(promise: Promise<unknown>): Task | undefined {
  return (promise as Tagged)[TASK];
}

/**
 * Leaves the current task for race-hunt's own bookkeeping promises, which need no tag (their
 * reactions run race-hunt's code; tagging costs a property on every promise). Returns the
 * task to hand back to `enterTask`.
 */
export function leaveTask(): Task | undefined {
  const saved = current;
  current = undefined;
  return saved;
}

/** Re-enters the task `leaveTask` returned. */
export function enterTask(task: Task | undefined): void {
  current = task;
}

/** Runs `fn` synchronously as `task`; promises it creates carry the task on. */
export function runAsTask<R>(task: Task | undefined, fn: () => R): R {
  const saved = current;
  current = task;
  try {
    return fn();
  } finally {
    current = saved;
  }
}

/** Starts propagating task identity (idempotent). Costs a little on every promise, so only while exploring. */
export function enableTaskContext(): void {
  if (stopHooks !== undefined) return;
  stopHooks = promiseHooks.createHook({
    init(promise) {
      if (current !== undefined) (promise as Tagged)[TASK] = current;
    },
    // Reaction jobs never nest, so `after` can simply clear.
    before(promise) {
      reactionsRun++;
      current = (promise as Tagged)[TASK];
    },
    after() {
      current = undefined;
      if (afterNextReaction !== undefined && reactionsToSkip-- <= 0) {
        const fn = afterNextReaction;
        afterNextReaction = undefined;
        fn();
      }
    },
  }) as () => void;
}

/**
 * Runs `fn` right after the next promise reaction (the one after the current reaction, when
 * called `fromReaction`): for a caller that has just resolved a promise someone awaits and
 * wants to act once that reaction has run (`fn` queues the quiescence probe behind what it
 * queued). Needs the hooks on (`enableTaskContext`).
 */
export function runAfterNextReaction(fn: () => void, fromReaction: boolean): void {
  afterNextReaction = fn;
  reactionsToSkip = fromReaction ? 1 : 0;
}

/** Stops propagating task identity. */
export function disableTaskContext(): void {
  stopHooks?.();
  stopHooks = undefined;
  current = undefined;
  ambient = undefined;
  afterNextReaction = undefined;
}
