import type { Task } from './task.js';
import { VirtualTimeout } from './virtual-timeout.js';

/**
 * Every virtual timer, immediate and asynchronous callback race-hunt's stand-ins set (timers,
 * `timers/promises`, `AbortSignal.timeout`, crypto's callbacks) is armed here, on the
 * execution of the task that set it.
 */

/** Node turns delays outside [1, 2^31 - 1] into 1 ms. */
export function normalizeDelay(delay: unknown): number {
  const ms = Number(delay);
  return ms >= 1 && ms <= 2_147_483_647 ? Math.trunc(ms) : 1;
}

/**
 * A virtual timer owned by `task`, `delay` virtual milliseconds from now, or (`immediate`) a
 * callback for the loop's next check phase. `caller` is the stand-in the user called: the
 * stack recorded for the trace starts at its caller.
 */
export function virtualTimer(
  task: Task,
  callback: unknown,
  delay: number,
  args: unknown[],
  interval: boolean,
  caller: (...a: never[]) => unknown,
  immediate = false,
): VirtualTimeout {
  if (typeof callback !== 'function') {
    throw new TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`);
  }
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, caller);
  const handle = new VirtualTimeout(task, delay, interval, immediate, callback as (...a: unknown[]) => void, args, site);
  task.execution.schedule(handle);
  return handle;
}
