import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { activeExecution } from './active-execution.js';
import { normalizeDelay, virtualTimer } from './arm-timer.js';
import type { Patch } from './patch.js';
import { named } from './patch.js';
import { real } from './real-globals.js';
import { currentTask } from './task-context.js';
import { timerByConvertedId } from './timer-ids.js';
import { VirtualTimeout } from './virtual-timeout.js';

/**
 * `setTimeout`, `setInterval`, `setImmediate` and their `clear*`, global and in `node:timers`:
 * inside a task they arm virtual timers on the execution's clock; anywhere else they are the
 * real ones.
 */

const require = createRequire(import.meta.url);
const timersModule = require('node:timers') as Record<string, unknown>;
const timersPromises = require('node:timers/promises') as Record<string, unknown>;

type AnyFunction = (...a: unknown[]) => unknown;

function setTimeoutV(callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
  const task = currentTask();
  // Outside a task, or a callback Node refuses (its own error): the real one.
  if (task === undefined || typeof callback !== 'function') return (real.setTimeout as AnyFunction)(callback, delay, ...args);
  return virtualTimer(task, callback, normalizeDelay(delay), args, false, setTimeoutV);
}

function setIntervalV(callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
  const task = currentTask();
  if (task === undefined || typeof callback !== 'function') return (real.setInterval as AnyFunction)(callback, delay, ...args);
  return virtualTimer(task, callback, normalizeDelay(delay), args, true, setIntervalV);
}

function setImmediateV(callback: unknown, ...args: unknown[]): unknown {
  const task = currentTask();
  if (task === undefined || typeof callback !== 'function') return (real.setImmediate as AnyFunction)(callback, ...args);
  return virtualTimer(task, callback, 0, args, false, setImmediateV, true);
}

// As in Node, `util.promisify(setTimeout)` is `timers/promises`' setTimeout (the virtual one
// while installed), and likewise for setImmediate.
for (const [fn, key] of [
  [setTimeoutV, 'setTimeout'],
  [setImmediateV, 'setImmediate'],
] as const) {
  Object.defineProperty(fn, promisify.custom, { enumerable: true, get: () => timersPromises[key] });
}

/**
 * `clearTimeout` / `clearInterval`: a virtual timer, or the id of one converted to a primitive
 * (`clearTimeout(+timer)`, as Node allows); anything else goes to the real one.
 */
function clearTimerV(realClear: (handle: never) => void): (handle: unknown) => void {
  return (handle) => {
    if (handle instanceof VirtualTimeout) {
      handle.cancel();
      return;
    }
    if (typeof handle === 'number' || typeof handle === 'string') {
      const execution = currentTask()?.execution ?? activeExecution();
      const timer = execution === undefined ? undefined : timerByConvertedId(execution, handle);
      if (timer !== undefined) {
        timer.cancel();
        return;
      }
    }
    if (handle !== undefined && handle !== null) realClear(handle as never);
  };
}

/** `clearImmediate`: Node's takes no ids (it throws on a number), so only handles are virtual. */
function clearImmediateV(handle: unknown): void {
  if (handle instanceof VirtualTimeout) handle.cancel();
  else if (handle !== undefined && handle !== null) (real.clearImmediate as AnyFunction)(handle);
}

/** Made once: the effect table of partial-order reduction knows the stand-ins by identity. */
const standIns: Record<string, object> = {
  setTimeout: setTimeoutV,
  setInterval: setIntervalV,
  setImmediate: setImmediateV,
  clearTimeout: clearTimerV(real.clearTimeout as never),
  clearInterval: clearTimerV(real.clearInterval as never),
  clearImmediate: clearImmediateV,
};
for (const [key, fn] of Object.entries(standIns)) named(key, fn);

/** The timer stand-ins, on the global object and on `node:timers`. */
export function timerPatches(): Patch[] {
  return [globalThis, timersModule].flatMap((target) =>
    Object.entries(standIns).map(([key, value]): Patch => ({ target, key, value, effect: 'timers' })),
  );
}
