import { activeExecution } from './active-execution.js';
import type { Execution } from './execution.js';
import type { Patch } from './patch.js';
import { named } from './patch.js';
import { real } from './real-globals.js';

/**
 * The clock while an execution is active: `Date`, `performance.now`, `performance.timeOrigin`,
 * `process.uptime` and `process.hrtime` read the execution's virtual clock, which moves only
 * when a timer fires. Each run looks like a program Node has just started: the process clocks
 * begin where a fresh Node process's do, not at 0 (code that treats 0 as "unset", such as
 * lru-cache's TTL start, must work). Outside an execution they are the real ones.
 */

/**
 * How old the process is, in ms, when a run begins: `performance.now()` at the first line of
 * a script that Node 20 has just started reads 46–55 ms on a 2-core machine.
 */
export const PROCESS_AGE_AT_START_MS = 50;

/**
 * How long the machine has been up when the process starts: `process.hrtime()` counts from
 * the boot (CLOCK_MONOTONIC on Linux), so a fresh process reads neither 0 nor its own age.
 */
export const MACHINE_UPTIME_AT_START_MS = 3_600_000;

/** Virtual milliseconds since the (virtual) process started. */
function processAge(execution: Execution): number {
  return PROCESS_AGE_AT_START_MS + (execution.clock.now - execution.epoch);
}

function virtualNow(): number {
  const execution = activeExecution();
  return execution === undefined ? real.dateNow() : execution.clock.now;
}

// ---- Date ----

const RealDate = real.Date;

/**
 * `Date` reading the virtual clock. Its instances are real dates with the real prototype, so
 * dates made before the run, by Node, or by code that kept the real `Date` are `instanceof`
 * it, and its dates are `instanceof` the real one. While it is installed, `Date.prototype.constructor`
 * is this function (so `new Date().constructor === Date`); subclasses read the virtual clock too.
 */
const VirtualDate = named('Date', function (this: unknown, ...args: unknown[]): unknown {
  if (new.target === undefined) return new RealDate(virtualNow()).toString();
  const dateArgs = args.length === 0 ? [virtualNow()] : args;
  // `new.target` is a subclass (`class D extends Date`) or this function, whose prototype is the real one.
  return Reflect.construct(RealDate, dateArgs, new.target);
}) as unknown as DateConstructor;
Object.defineProperty(VirtualDate, 'length', { value: RealDate.length });
Object.defineProperty(VirtualDate, 'prototype', { value: RealDate.prototype, writable: false, enumerable: false, configurable: false });
// Own statics in Node's order (`Object.getOwnPropertyNames(Date)`): now, parse, UTC.
for (const key of ['now', 'parse', 'UTC'] as const) {
  const descriptor = Object.getOwnPropertyDescriptor(RealDate, key)!;
  Object.defineProperty(VirtualDate, key, key === 'now' ? { ...descriptor, value: named('now', virtualNow) } : descriptor);
}

// ---- performance, process ----

const nodePerformance = performance;
const performancePrototype = Object.getPrototypeOf(nodePerformance) as object;
const realPerformanceNow = nodePerformance.now as (this: unknown) => number;
const realTimeOrigin = Object.getOwnPropertyDescriptor(performancePrototype, 'timeOrigin')?.get;

/** `performance.now()`: the process's virtual age. Another receiver goes to Node's (which rejects it). */
function performanceNowV(this: unknown): number {
  const execution = activeExecution();
  if (execution === undefined || this !== nodePerformance) return realPerformanceNow.call(this);
  return processAge(execution);
}

/** `performance.timeOrigin`: when the virtual process started, so that `timeOrigin + now()` is `Date.now()`. */
function timeOriginV(this: unknown): number {
  const execution = activeExecution();
  if (execution === undefined || this !== nodePerformance) return realTimeOrigin!.call(this) as number;
  return execution.epoch - PROCESS_AGE_AT_START_MS;
}

const realUptime = process.uptime;

function uptimeV(): number {
  const execution = activeExecution();
  return execution === undefined ? realUptime() : processAge(execution) / 1000;
}

const realHrtime = process.hrtime;
const realHrtimeBigint = process.hrtime.bigint;

function hrtimeNs(execution: Execution): bigint {
  return BigInt(Math.round((MACHINE_UPTIME_AT_START_MS + processAge(execution)) * 1e6));
}

function hrtimeV(time?: unknown): [number, number] {
  const execution = activeExecution();
  // An argument Node refuses goes to Node's, for its own error.
  if (execution === undefined || (time !== undefined && !(Array.isArray(time) && time.length === 2))) return realHrtime(time as never);
  const ns = hrtimeNs(execution);
  const sec = Number(ns / 1_000_000_000n);
  const nsec = Number(ns % 1_000_000_000n);
  if (time === undefined) return [sec, nsec];
  const [prevSec, prevNsec] = time as [number, number];
  const diff = nsec - prevNsec;
  return diff < 0 ? [sec - prevSec - 1, diff + 1e9] : [sec - prevSec, diff];
}
hrtimeV.bigint = named('bigint', (): bigint => {
  const execution = activeExecution();
  return execution === undefined ? realHrtimeBigint() : hrtimeNs(execution);
});
named('hrtime', hrtimeV);
named('now', performanceNowV);
named('get timeOrigin', timeOriginV);
named('uptime', uptimeV);

/** The clock's stand-ins. None touches state a step shares: the clock moves only in timer steps. */
export function clockPatches(): Patch[] {
  const list: Patch[] = [
    { target: globalThis, key: 'Date', value: VirtualDate, effect: 'none' },
    { target: RealDate.prototype, key: 'constructor', value: VirtualDate, effect: 'none' },
    { target: performancePrototype, key: 'now', value: performanceNowV, effect: 'none' },
    { target: process, key: 'uptime', value: uptimeV, effect: 'none' },
    { target: process, key: 'hrtime', value: hrtimeV, effect: 'none' },
  ];
  if (realTimeOrigin !== undefined) list.push({ target: performancePrototype, key: 'timeOrigin', get: timeOriginV, effect: 'none' });
  return list;
}
