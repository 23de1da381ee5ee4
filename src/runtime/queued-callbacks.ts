import { currentTask, runAsTask } from './task-context.js';
import type { Task } from './task.js';

/**
 * Counts the callbacks user code has queued with `process.nextTick` or `queueMicrotask` and
 * that have not run yet. The quiescence probe (quiescence.ts) sees promise reactions through V8's
 * promise hooks, but these two queues fire no promise hook: while such a callback is pending,
 * the probe waits behind it.
 *
 * Each callback also runs as the task that queued it. Such a callback runs outside any
 * promise reaction, so the task identity that follows promise reactions would not reach it
 * (checked with plain Node: test/fidelity/scheduler/tick-task.mjs), and its awaits and timers
 * would escape the scheduler: work a task starts this way is the task's work.
 */
const realNextTick = process.nextTick;
const realQueueMicrotask = globalThis.queueMicrotask;
let pendingTicks = 0;
let pendingMicrotasks = 0;
let installed = false;
/** Bumped at each install: a callback queued in an earlier session must not uncount this one's. */
let generation = 0;

/** Callbacks queued through the patched `process.nextTick` that have not run yet. */
export function queuedTicks(): number {
  return pendingTicks;
}

/** Callbacks queued through the patched `queueMicrotask` that have not run yet. */
export function queuedMicrotasks(): number {
  return pendingMicrotasks;
}

/** Queues `callback` for a process tick, uncounted: race-hunt's own checks. */
export function ownNextTick(callback: () => void): void {
  realNextTick(callback);
}

function countedNextTick(callback: (...args: unknown[]) => void, ...args: unknown[]): void {
  if (typeof callback !== 'function') {
    realNextTick(callback); // lets Node throw its own ERR_INVALID_ARG_TYPE
    return;
  }
  pendingTicks++;
  const queuedIn = generation;
  const owner = currentTask();
  realNextTick(() => {
    if (queuedIn === generation) pendingTicks--;
    runQueued(owner, callback, args);
  });
}

function countedQueueMicrotask(callback: () => void): void {
  if (typeof callback !== 'function') {
    realQueueMicrotask(callback);
    return;
  }
  pendingMicrotasks++;
  const queuedIn = generation;
  const owner = currentTask();
  realQueueMicrotask(() => {
    if (queuedIn === generation) pendingMicrotasks--;
    runQueued(owner, callback, []);
  });
}

function runQueued(owner: Task | undefined, callback: (...args: unknown[]) => void, args: readonly unknown[]): void {
  if (owner === undefined) callback(...args);
  else runAsTask(owner, () => callback(...args));
}

/** Patches both queues to count (idempotent). */
export function installCallbackCounting(): void {
  if (!installed) setCounting(true);
}

/** Restores the real queues. */
export function uninstallCallbackCounting(): void {
  if (installed) setCounting(false);
}

/** What others assigned to the patched properties while counting: put back when counting stops. */
const assigned = { nextTick: realNextTick as unknown, queueMicrotask: realQueueMicrotask as unknown };

function setCounting(on: boolean): void {
  installed = on;
  // A new generation: callbacks queued before this point no longer count.
  generation++;
  pendingTicks = 0;
  pendingMicrotasks = 0;
  if (on) {
    pin(process, 'nextTick', countedNextTick);
    pin(globalThis, 'queueMicrotask', countedQueueMicrotask);
  } else {
    unpin(process, 'nextTick');
    unpin(globalThis, 'queueMicrotask');
  }
}

/**
 * Installs `counted` so that it stays installed: code that saves and later restores the
 * property (vitest does, around its worker RPC, from a tick of its own) would otherwise put
 * the uncounted function back in the middle of a run, and the probe would miss the user's
 * ticks. What such code assigns is kept, and becomes the property's value again on `unpin`.
 */
function pin(target: object, key: keyof typeof assigned, counted: unknown): void {
  assigned[key] = (target as Record<string, unknown>)[key];
  Object.defineProperty(target, key, {
    configurable: true,
    enumerable: true,
    get: () => counted,
    set: (value: unknown) => {
      assigned[key] = value;
    },
  });
}

function unpin(target: object, key: keyof typeof assigned): void {
  // Code that saved the property while it was pinned saved the counting function.
  const counting = key === 'nextTick' ? countedNextTick : countedQueueMicrotask;
  const real = key === 'nextTick' ? realNextTick : realQueueMicrotask;
  const value = assigned[key] === counting ? real : assigned[key];
  Object.defineProperty(target, key, { configurable: true, enumerable: true, writable: true, value });
}
