import { createRequire } from 'node:module';
import { normalizeDelay, virtualTimer } from './arm-timer.js';
import type { Patch } from './patch.js';
import { named } from './patch.js';
import { currentTask } from './task-context.js';
import type { Task } from './task.js';

/**
 * `node:timers/promises` (`setTimeout`, `setImmediate`, `setInterval`, `scheduler.wait`,
 * `scheduler.yield`) on the virtual clock inside a task, written after Node's own code so that
 * they behave alike: the same validation (arguments Node rejects go to Node's function, which
 * rejects them with its own error), `signal` and `ref` honoured, and an interval that keeps
 * ticking while its consumer is busy, the ticks it missed delivered at once on its next `next()`.
 */

const require = createRequire(import.meta.url);
const timersPromises = require('node:timers/promises') as Record<string, unknown> & { scheduler?: object };
const scheduler = timersPromises.scheduler;
const schedulerPrototype = scheduler === undefined ? undefined : (Object.getPrototypeOf(scheduler) as Record<string, unknown>);

type AnyFunction = (...a: unknown[]) => unknown;

const realPromises = {
  setTimeout: timersPromises.setTimeout as (...a: unknown[]) => Promise<unknown>,
  setImmediate: timersPromises.setImmediate as (...a: unknown[]) => Promise<unknown>,
  setInterval: timersPromises.setInterval as (...a: unknown[]) => AsyncGenerator<unknown>,
  wait: schedulerPrototype?.wait as AnyFunction | undefined,
  yield: schedulerPrototype?.yield as AnyFunction | undefined,
};

/** The brand Node's scheduler methods check their receiver for. */
const kScheduler = scheduler === undefined ? undefined : Object.getOwnPropertySymbols(scheduler).find((s) => s.description === 'kScheduler');

/** Node's AbortError (internal/errors): what `timers/promises` rejects with when aborted. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(message = 'The operation was aborted', options?: ErrorOptions) {
    super(message, options);
    this.name = 'AbortError';
  }
}

interface TimerOptions {
  readonly signal?: AbortSignal;
  readonly ref?: boolean;
}

const EMPTY: TimerOptions = Object.freeze({});

/** What Node's `validateObject`, `validateAbortSignal` and `validateBoolean` let through. */
function acceptedOptions(options: unknown): options is TimerOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return false;
  const { signal, ref } = options as Record<string, unknown>;
  const signalOk = signal === undefined || (signal !== null && typeof signal === 'object' && 'aborted' in signal);
  return signalOk && (ref === undefined || typeof ref === 'boolean');
}

function acceptedDelay(delay: unknown): boolean {
  return delay === undefined || typeof delay === 'number';
}

function aborted(signal: AbortSignal | undefined): AbortError {
  return new AbortError(undefined, { cause: signal?.reason });
}

/** A promise settled by a virtual timer, as Node's `timers/promises` makes one. */
function timerPromise(task: Task, delay: number, value: unknown, options: TimerOptions, caller: AnyFunction, immediate = false): Promise<unknown> {
  const { signal, ref = true } = options;
  if (signal?.aborted) return Promise.reject(aborted(signal));
  let onAbort: (() => void) | undefined;
  const settled = new Promise((resolve, reject) => {
    const handle = virtualTimer(task, resolve, delay, [value], false, caller, immediate);
    if (!ref) handle.unref();
    if (signal !== undefined) {
      onAbort = () => {
        handle.cancel();
        reject(aborted(signal));
      };
      signal.addEventListener('abort', onAbort);
    }
  });
  return onAbort === undefined ? settled : settled.finally(() => signal!.removeEventListener('abort', onAbort!));
}

function setTimeoutP(...args: unknown[]): Promise<unknown> {
  const [delay, value, options = EMPTY] = args;
  const task = currentTask();
  if (task === undefined || !acceptedDelay(delay) || !acceptedOptions(options)) return realPromises.setTimeout(...args);
  return timerPromise(task, normalizeDelay(delay), value, options, setTimeoutP);
}

function setImmediateP(...args: unknown[]): Promise<unknown> {
  const [value, options = EMPTY] = args;
  const task = currentTask();
  if (task === undefined || !acceptedOptions(options)) return realPromises.setImmediate(...args);
  return timerPromise(task, 0, value, options, setImmediateP, true);
}

/**
 * Node's async iterator over an interval: the interval starts at the first `next()`, counts
 * the ticks nobody has taken yet, and hands them out back to back.
 */
async function* setIntervalP(...args: unknown[]): AsyncGenerator<unknown> {
  const [delay, value, options = EMPTY] = args;
  const task = currentTask();
  if (task === undefined || !acceptedDelay(delay) || !acceptedOptions(options)) return yield* realPromises.setInterval(...args);
  const { signal, ref = true } = options;
  if (signal?.aborted) throw aborted(signal);
  let onCancel: (() => void) | undefined;
  let interval: { cancel(): void } | undefined;
  try {
    let notYielded = 0;
    let wake: ((value?: unknown) => void) | undefined;
    const handle = virtualTimer(
      task,
      () => {
        notYielded++;
        wake?.();
        wake = undefined;
      },
      normalizeDelay(delay),
      [],
      true,
      setIntervalP,
    );
    interval = handle;
    if (!ref) handle.unref();
    if (signal !== undefined) {
      onCancel = () => {
        handle.cancel();
        wake?.(Promise.reject(aborted(signal)));
        wake = undefined;
      };
      signal.addEventListener('abort', onCancel, { once: true });
    }
    while (!signal?.aborted) {
      if (notYielded === 0) await new Promise((resolve) => (wake = resolve));
      for (; notYielded > 0; notYielded--) yield value;
    }
    throw aborted(signal);
  } finally {
    interval?.cancel();
    if (onCancel !== undefined) signal?.removeEventListener('abort', onCancel);
  }
}

/** `scheduler.wait(delay, options)`: Node's is `setTimeout(delay, undefined, options)`. */
function waitV(this: unknown, ...args: unknown[]): unknown {
  if (currentTask() === undefined || !isScheduler(this)) return Reflect.apply(realPromises.wait!, this, args);
  return setTimeoutP(args[0], undefined, args[1]);
}

/** `scheduler.yield()`: Node's is `setImmediate()`. */
function yieldV(this: unknown, ...args: unknown[]): unknown {
  if (currentTask() === undefined || !isScheduler(this)) return Reflect.apply(realPromises.yield!, this, args);
  return setImmediateP();
}

function isScheduler(receiver: unknown): boolean {
  return kScheduler !== undefined && receiver !== null && receiver !== undefined && Boolean((receiver as Record<symbol, unknown>)[kScheduler]);
}

named('setTimeout', setTimeoutP);
named('setImmediate', setImmediateP);
named('setInterval', setIntervalP);
named('wait', waitV);
named('yield', yieldV);

/** The `node:timers/promises` stand-ins (the scheduler's on its prototype, where Node's are). */
export function timerPromisePatches(): Patch[] {
  const list: Patch[] = [
    { target: timersPromises, key: 'setTimeout', value: setTimeoutP, effect: 'timers' },
    { target: timersPromises, key: 'setImmediate', value: setImmediateP, effect: 'timers' },
    { target: timersPromises, key: 'setInterval', value: setIntervalP, effect: 'timers' },
  ];
  if (schedulerPrototype !== undefined && kScheduler !== undefined) {
    list.push({ target: schedulerPrototype, key: 'wait', value: waitV, effect: 'timers' });
    list.push({ target: schedulerPrototype, key: 'yield', value: yieldV, effect: 'timers' });
  }
  return list;
}
