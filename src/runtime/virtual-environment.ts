import { createRequire, syncBuiltinESMExports } from 'node:module';
import { activeExecution } from './active-execution.js';
import type { Effect } from './native-effects.js';
import { real } from './real-globals.js';
import { currentTask } from './task-context.js';
import type { Task } from './task.js';
import { VirtualTimeout } from './virtual-timeout.js';

/**
 * Virtual time and seeded randomness for the scenario. Timers set by a task go on the
 * execution's virtual clock (a pending timer is a scheduling choice); `Date`,
 * `performance.now` and `process.hrtime` read that clock while an execution is active;
 * `Math.random` and `crypto`'s random helpers draw from the execution's seeded generator.
 * Code outside any task (race-hunt itself, its progress display) keeps the real ones.
 */

const require = createRequire(import.meta.url);
const timersModule = require('node:timers') as Record<string, unknown>;
const timersPromises = require('node:timers/promises') as Record<string, unknown> & { scheduler?: Record<string, unknown> };
const cryptoModule = require('node:crypto') as Record<string, unknown>;

/** Node turns delays outside [1, 2^31 - 1] into 1 ms. */
function normalizeDelay(delay: unknown): number {
  const ms = Number(delay);
  return ms >= 1 && ms <= 2_147_483_647 ? Math.trunc(ms) : 1;
}

function virtualTimer(
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

function setTimeoutV(callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
  const task = currentTask();
  if (task === undefined) return (real.setTimeout as (...a: unknown[]) => unknown)(callback, delay, ...args);
  return virtualTimer(task, callback, normalizeDelay(delay), args, false, setTimeoutV);
}

function setIntervalV(callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
  const task = currentTask();
  if (task === undefined) return (real.setInterval as (...a: unknown[]) => unknown)(callback, delay, ...args);
  return virtualTimer(task, callback, normalizeDelay(delay), args, true, setIntervalV);
}

function setImmediateV(callback: unknown, ...args: unknown[]): unknown {
  const task = currentTask();
  if (task === undefined) return (real.setImmediate as (...a: unknown[]) => unknown)(callback, ...args);
  return virtualTimer(task, callback, 0, args, false, setImmediateV, true);
}

function clearV(realClear: (handle: never) => void): (handle: unknown) => void {
  return (handle) => {
    if (handle instanceof VirtualTimeout) handle.cancel();
    else if (handle !== undefined && handle !== null) realClear(handle as never);
  };
}

function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  (error as Error & { code: string }).code = 'ABORT_ERR';
  return error;
}

/** `timers/promises` style: a promise settled by a virtual timer, honouring `signal`. */
function virtualSleep(
  task: Task,
  delay: number,
  value: unknown,
  options: unknown,
  caller: (...a: never[]) => unknown,
  immediate = false,
): Promise<unknown> {
  const signal = (options as { signal?: AbortSignal } | undefined)?.signal;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      handle.cancel();
      reject(abortError(signal!));
    };
    const handle = virtualTimer(
      task,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      },
      delay,
      [],
      false,
      caller,
      immediate,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const realPromises = {
  setTimeout: timersPromises.setTimeout as (...a: unknown[]) => Promise<unknown>,
  setImmediate: timersPromises.setImmediate as (...a: unknown[]) => Promise<unknown>,
  setInterval: timersPromises.setInterval as (...a: unknown[]) => AsyncIterable<unknown>,
  wait: timersPromises.scheduler?.wait as ((...a: unknown[]) => Promise<unknown>) | undefined,
  yield: timersPromises.scheduler?.yield as ((...a: unknown[]) => Promise<unknown>) | undefined,
};

function sleepV(delay?: unknown, value?: unknown, options?: unknown): Promise<unknown> {
  const task = currentTask();
  if (task === undefined) return realPromises.setTimeout(delay, value, options);
  return virtualSleep(task, normalizeDelay(delay), value, options, sleepV);
}

function immediateV(value?: unknown, options?: unknown): Promise<unknown> {
  const task = currentTask();
  if (task === undefined) return realPromises.setImmediate(value, options);
  return virtualSleep(task, 0, value, options, immediateV, true);
}

async function* intervalV(delay?: unknown, value?: unknown, options?: unknown): AsyncGenerator<unknown> {
  const task = currentTask();
  if (task === undefined) {
    yield* realPromises.setInterval(delay, value, options);
    return;
  }
  const ms = normalizeDelay(delay);
  for (;;) yield await virtualSleep(task, ms, value, options, intervalV);
}

function waitV(delay?: unknown, options?: unknown): Promise<unknown> {
  const task = currentTask();
  if (task === undefined) return realPromises.wait!(delay, options);
  return virtualSleep(task, normalizeDelay(delay), undefined, options, waitV);
}

function yieldV(): Promise<unknown> {
  const task = currentTask();
  if (task === undefined) return realPromises.yield!();
  return virtualSleep(task, 0, undefined, undefined, yieldV, true);
}

// ---- the clock ----

function virtualNow(): number {
  const execution = activeExecution();
  return execution === undefined ? real.dateNow() : execution.clock.now;
}

const RealDate = real.Date;

/** `Date` reading the virtual clock; instances are real `Date`s, so everything else behaves. */
const VirtualDate = function (this: unknown, ...args: unknown[]): unknown {
  if (new.target === undefined) return new RealDate(virtualNow()).toString();
  return args.length === 0 ? new RealDate(virtualNow()) : new (RealDate as new (...a: unknown[]) => Date)(...args);
} as unknown as DateConstructor;
Object.setPrototypeOf(VirtualDate, RealDate);
Object.defineProperty(VirtualDate, 'prototype', { value: RealDate.prototype });
Object.defineProperty(VirtualDate, 'now', { value: virtualNow, writable: true, configurable: true });

function performanceNowV(): number {
  const execution = activeExecution();
  return execution === undefined ? real.performanceNow() : execution.clock.now - execution.epoch;
}

const realHrtime = process.hrtime;
const realHrtimeBigint = process.hrtime.bigint;

function hrtimeV(previous?: [number, number]): [number, number] {
  const execution = activeExecution();
  if (execution === undefined) return realHrtime(previous);
  const ns = BigInt(Math.round((execution.clock.now - execution.epoch) * 1e6));
  let sec = Number(ns / 1_000_000_000n);
  let nsec = Number(ns % 1_000_000_000n);
  if (previous !== undefined) {
    sec -= previous[0];
    nsec -= previous[1];
    if (nsec < 0) {
      sec -= 1;
      nsec += 1e9;
    }
  }
  return [sec, nsec];
}
hrtimeV.bigint = (): bigint => {
  const execution = activeExecution();
  if (execution === undefined) return realHrtimeBigint();
  return BigInt(Math.round((execution.clock.now - execution.epoch) * 1e6));
};

// ---- randomness ----

function randomV(): number {
  const execution = activeExecution();
  return execution === undefined ? real.mathRandom() : execution.random.nextFloat();
}

const webCrypto = globalThis.crypto;
const realGetRandomValues = webCrypto.getRandomValues.bind(webCrypto);
const realRandomUUID = webCrypto.randomUUID.bind(webCrypto);
const realRandomBytes = cryptoModule.randomBytes as (size: number, callback?: unknown) => unknown;

function fillRandom(view: ArrayBufferView): void {
  const execution = activeExecution()!;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i += 4) {
    const word = execution.random.nextU32();
    for (let j = 0; j < 4 && i + j < bytes.length; j++) bytes[i + j] = (word >>> (8 * j)) & 0xff;
  }
}

function getRandomValuesV<T extends ArrayBufferView | null>(array: T): T {
  if (activeExecution() === undefined || array === null) return realGetRandomValues(array as never) as T;
  fillRandom(array);
  return array;
}

function randomUUIDV(): `${string}-${string}-${string}-${string}-${string}` {
  if (activeExecution() === undefined) return realRandomUUID();
  const bytes = new Uint8Array(16);
  fillRandom(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function randomBytesV(size: number, callback?: unknown): unknown {
  if (activeExecution() === undefined || callback !== undefined) return realRandomBytes(size, callback);
  const buffer = Buffer.alloc(size);
  fillRandom(buffer);
  return buffer;
}

// ---- installing ----

interface Patch {
  readonly target: object;
  readonly key: string;
  readonly value: unknown;
}

function patches(): Patch[] {
  const list: Patch[] = [
    { target: globalThis, key: 'setTimeout', value: setTimeoutV },
    { target: globalThis, key: 'setInterval', value: setIntervalV },
    { target: globalThis, key: 'setImmediate', value: setImmediateV },
    { target: globalThis, key: 'clearTimeout', value: clearV(real.clearTimeout as never) },
    { target: globalThis, key: 'clearInterval', value: clearV(real.clearInterval as never) },
    { target: globalThis, key: 'clearImmediate', value: clearV(real.clearImmediate as never) },
    { target: globalThis, key: 'Date', value: VirtualDate },
    { target: performance, key: 'now', value: performanceNowV },
    { target: process, key: 'hrtime', value: hrtimeV },
    { target: Math, key: 'random', value: randomV },
    { target: webCrypto, key: 'getRandomValues', value: getRandomValuesV },
    { target: webCrypto, key: 'randomUUID', value: randomUUIDV },
    { target: cryptoModule, key: 'randomUUID', value: randomUUIDV },
    { target: cryptoModule, key: 'getRandomValues', value: getRandomValuesV },
    { target: cryptoModule, key: 'randomBytes', value: randomBytesV },
    { target: timersPromises, key: 'setTimeout', value: sleepV },
    { target: timersPromises, key: 'setImmediate', value: immediateV },
    { target: timersPromises, key: 'setInterval', value: intervalV },
  ];
  for (const key of ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate']) {
    list.push({ target: timersModule, key, value: list.find((p) => p.target === globalThis && p.key === key)!.value });
  }
  if (timersPromises.scheduler !== undefined) {
    list.push({ target: timersPromises.scheduler, key: 'wait', value: waitV });
    list.push({ target: timersPromises.scheduler, key: 'yield', value: yieldV });
  }
  return list;
}

let restore: (() => void) | undefined;
let installed: readonly Patch[] = [];

/**
 * What the installed stand-ins do to state a step can share, for partial-order reduction:
 * timers read and write the virtual timer queue, randomness the scenario's generator; the
 * clock only moves when a timer fires, a step that conflicts with every other anyway.
 */
export function standInEffects(): Map<unknown, Effect> {
  const effects = new Map<unknown, Effect>();
  for (const { key, value } of installed) {
    effects.set(value, /random/i.test(key) ? 'random' : ['Date', 'now', 'hrtime'].includes(key) ? 'none' : 'timers');
  }
  return effects;
}

/**
 * Replaces timers, clock and randomness with their virtual versions (idempotent). Each
 * stand-in falls back to the real one outside a run, so installing once per process is safe.
 */
export function installVirtualEnvironment(): void {
  if (restore !== undefined) return;
  const saved: { patch: Patch; descriptor: PropertyDescriptor | undefined }[] = [];
  for (const patch of patches()) {
    const descriptor = Object.getOwnPropertyDescriptor(patch.target, patch.key);
    // Some of Node's exports are fixed (node:crypto's getRandomValues); those stay real.
    if (descriptor !== undefined && !descriptor.configurable) continue;
    Object.defineProperty(patch.target, patch.key, {
      value: patch.value,
      writable: true,
      configurable: true,
      enumerable: descriptor?.enumerable ?? true,
    });
    saved.push({ patch, descriptor });
  }
  installed = saved.map((s) => s.patch);
  // ESM importers of node:timers & co. see the stand-ins too.
  syncBuiltinESMExports();
  restore = () => {
    for (const { patch, descriptor } of saved.reverse()) {
      if (descriptor === undefined) delete (patch.target as Record<string, unknown>)[patch.key];
      else Object.defineProperty(patch.target, patch.key, descriptor);
    }
    syncBuiltinESMExports();
    installed = [];
  };
}

/** Puts the real timers, clock and randomness back. */
export function uninstallVirtualEnvironment(): void {
  restore?.();
  restore = undefined;
}
