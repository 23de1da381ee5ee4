import { normalizeDelay, virtualTimer } from './arm-timer.js';
import type { Patch } from './patch.js';
import { named } from './patch.js';
import { currentTask } from './task-context.js';

/**
 * `AbortSignal.timeout(ms)` on the virtual clock. Node's arms a timer of its own, not the
 * global `setTimeout`, so it needs a stand-in of its own. As Node's, the timer does not keep
 * the run alive (it is unref'd) and aborts with a `DOMException` named `TimeoutError`.
 * `AbortSignal.any([...])` over such a signal follows it without a stand-in: it listens to the
 * signal's abort, which the virtual timer triggers.
 */

const realTimeout = AbortSignal.timeout;

/** What Node's `validateUint32(delay, 'delay')` lets through. */
function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
}

function timeoutV(this: unknown, ...args: unknown[]): AbortSignal {
  const delay = args[0];
  const task = currentTask();
  // Outside a task, or a delay Node refuses (its own error, before it arms anything): the real one.
  if (task === undefined || !isUint32(delay)) return Reflect.apply(realTimeout, this, args) as AbortSignal;
  const controller = new AbortController();
  const abort = (): void => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  virtualTimer(task, abort, normalizeDelay(delay), [], false, timeoutV).unref();
  return controller.signal;
}
named('timeout', timeoutV);

export function abortSignalPatches(): Patch[] {
  return [{ target: AbortSignal, key: 'timeout', value: timeoutV, effect: 'timers' }];
}
