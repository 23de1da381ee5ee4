/**
 * Counts the callbacks user code has queued with `process.nextTick` or `queueMicrotask` and
 * that have not run yet. The quiescence probe (execution.ts) sees promise reactions through V8's
 * promise hooks, but these two queues fire no promise hook: while such a callback is pending,
 * the probe waits behind it.
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
  realNextTick(() => {
    if (queuedIn === generation) pendingTicks--;
    callback(...args);
  });
}

function countedQueueMicrotask(callback: () => void): void {
  if (typeof callback !== 'function') {
    realQueueMicrotask(callback);
    return;
  }
  pendingMicrotasks++;
  const queuedIn = generation;
  realQueueMicrotask(() => {
    if (queuedIn === generation) pendingMicrotasks--;
    callback();
  });
}

/** Patches both queues to count (idempotent). */
export function installCallbackCounting(): void {
  if (!installed) setCounting(true);
}

/** Restores the real queues. */
export function uninstallCallbackCounting(): void {
  if (installed) setCounting(false);
}

function setCounting(on: boolean): void {
  installed = on;
  // A new generation: callbacks queued before this point no longer count.
  generation++;
  pendingTicks = 0;
  pendingMicrotasks = 0;
  process.nextTick = on ? countedNextTick : realNextTick;
  globalThis.queueMicrotask = on ? countedQueueMicrotask : realQueueMicrotask;
}
