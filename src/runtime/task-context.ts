import { promiseHooks } from 'node:v8';
import type { Task } from './task.js';

/**
 * Which task is running right now, propagated along promise chains with V8's promise hooks:
 * a promise remembers the task that created it, and a reaction runs as that task. This
 * labels steps correctly even when one task's code runs because another task released a
 * lock (FINDINGS: "the task granted last" mislabels such steps), and costs less than
 * AsyncLocalStorage on Node 20.
 */
const TASK = Symbol('race-hunt.task');

type Tagged = Promise<unknown> & { [TASK]?: Task };

let current: Task | undefined;
let stopHooks: (() => void) | undefined;

/** The task whose code is running, if any. */
export function currentTask(): Task | undefined {
  return current;
}

/** The task that created `promise`, if any (attributes unhandled rejections to their run). */
export function taskOfPromise(promise: Promise<unknown>): Task | undefined {
  return (promise as Tagged)[TASK];
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
      current = (promise as Tagged)[TASK];
    },
    after() {
      current = undefined;
    },
  }) as () => void;
}

/** Stops propagating task identity. */
export function disableTaskContext(): void {
  stopHooks?.();
  stopHooks = undefined;
  current = undefined;
}
