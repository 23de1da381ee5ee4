import { createRequire } from 'node:module';
import { types } from 'node:util';
import { activeExecution } from './active-execution.js';
import { virtualTimer } from './arm-timer.js';
import type { Execution } from './execution.js';
import type { Patch } from './patch.js';
import { named } from './patch.js';
import { real } from './real-globals.js';
import { currentTask } from './task-context.js';

/**
 * Seeded randomness while an execution is active: `Math.random`, `crypto.randomInt`,
 * `randomBytes`, `randomFillSync`, `randomFill`, `randomUUID`, and Web Crypto's
 * `getRandomValues` and `randomUUID` all draw from the execution's generator, so the same
 * seed gives the same values. Node's own function checks the arguments first (so errors are
 * Node's, word for word) and the stand-in then writes the seeded bytes; arguments Node would
 * reject go straight to Node's function, which throws before it does anything. The callbacks
 * of `randomBytes(n, cb)` and `randomFill` come back as a step of their own on the virtual
 * clock, as Node's come back from its thread pool; `randomInt(…, cb)` calls back on the next
 * tick, as Node's does whenever its cache of random bytes is not empty (all but the first call).
 */

const require = createRequire(import.meta.url);
const cryptoModule = require('node:crypto') as Record<string, unknown>;
/** Web Crypto's methods live on `Crypto.prototype`; node:crypto's fixed `getRandomValues` looks the method up there at each call. */
const cryptoPrototype = Object.getPrototypeOf(globalThis.crypto) as Record<string, unknown>;

type AnyFunction = (...a: unknown[]) => unknown;

const realCrypto = {
  getRandomValues: cryptoPrototype.getRandomValues as AnyFunction,
  randomUUID: cryptoPrototype.randomUUID as AnyFunction,
  nodeRandomUUID: cryptoModule.randomUUID as AnyFunction,
  randomBytes: cryptoModule.randomBytes as AnyFunction,
  randomFillSync: cryptoModule.randomFillSync as AnyFunction,
  randomFill: cryptoModule.randomFill as AnyFunction,
  randomInt: cryptoModule.randomInt as AnyFunction,
};

/** Overwrites `length` bytes of `target` from `start` with the execution's seeded bytes. */
function fillSeeded(execution: Execution, target: ArrayBufferLike | ArrayBufferView, start = 0, length?: number): void {
  const view = ArrayBuffer.isView(target) ? target : new Uint8Array(target);
  const bytes = new Uint8Array(view.buffer, view.byteOffset + start, length ?? view.byteLength - start);
  for (let i = 0; i < bytes.length; i += 4) {
    const word = execution.random.nextU32();
    for (let j = 0; j < 4 && i + j < bytes.length; j++) bytes[i + j] = (word >>> (8 * j)) & 0xff;
  }
}

/** The bytes `randomFillSync(buf, offset, size)` fills, computed as Node does (after Node has checked them). */
function byteRange(buf: ArrayBufferLike | ArrayBufferView, offset: number, size: number | undefined): [number, number] {
  const elementSize = (buf as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT || 1;
  const start = (offset * elementSize) >>> 0;
  return [start, size === undefined ? buf.byteLength - start : (size * elementSize) >>> 0];
}

/** A callback Node would make later: a step of its own, owned by the task that asked. */
function callBackLater(callback: AnyFunction, args: unknown[], caller: AnyFunction): void {
  virtualTimer(currentTask()!, callback, 0, args, false, caller);
}

function randomV(): number {
  const execution = activeExecution();
  return execution === undefined ? real.mathRandom() : execution.random.nextFloat();
}

function getRandomValuesV(this: unknown, ...args: unknown[]): unknown {
  // Node's checks the receiver, the argument count, the array's type and its size.
  const array = Reflect.apply(realCrypto.getRandomValues, this, args) as ArrayBufferView;
  const execution = activeExecution();
  if (execution !== undefined) fillSeeded(execution, array);
  return array;
}

function seededUUID(execution: Execution): string {
  const bytes = new Uint8Array(16);
  fillSeeded(execution, bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Web Crypto's `randomUUID` (checks its receiver) and node:crypto's (checks its options). */
function uuidStandIn(realUUID: AnyFunction): AnyFunction {
  return function randomUUID(this: unknown, ...args: unknown[]): unknown {
    const drawn = Reflect.apply(realUUID, this, args);
    const execution = activeExecution();
    return execution === undefined ? drawn : seededUUID(execution);
  };
}

function randomBytesV(this: unknown, ...args: unknown[]): unknown {
  const execution = activeExecution();
  const [size, callback] = args;
  if (execution === undefined || (callback !== undefined && (typeof callback !== 'function' || currentTask() === undefined))) {
    return Reflect.apply(realCrypto.randomBytes, this, args);
  }
  const buf = realCrypto.randomBytes(size) as Buffer; // Node checks the size
  fillSeeded(execution, buf);
  if (callback === undefined) return buf;
  callBackLater(callback as AnyFunction, [null, buf], randomBytesV);
  return undefined;
}

function randomFillSyncV(this: unknown, ...args: unknown[]): unknown {
  const result = Reflect.apply(realCrypto.randomFillSync, this, args); // Node checks buf, offset and size
  const execution = activeExecution();
  if (execution !== undefined) {
    const [buf, offset = 0, size] = args as [ArrayBufferView, number | undefined, number | undefined];
    fillSeeded(execution, buf, ...byteRange(buf, offset, size));
  }
  return result;
}

/** `randomFill(buf[, offset[, size]], callback)`, its arguments taken apart as Node takes them. */
function randomFillV(this: unknown, ...args: unknown[]): unknown {
  const execution = activeExecution();
  const refuse = (): unknown => Reflect.apply(realCrypto.randomFill, this, args);
  if (execution === undefined || currentTask() === undefined) return refuse();
  const buf = args[0];
  if (!types.isAnyArrayBuffer(buf) && !types.isArrayBufferView(buf)) return refuse();
  let [, offset, size, callback] = args;
  if (typeof offset === 'function') {
    callback = offset;
    offset = 0;
    size = (buf as { length?: number }).length;
  } else if (typeof size === 'function') {
    callback = size;
    size = ((buf as { length?: number }).length as number) - (offset as number);
  } else if (typeof callback !== 'function') {
    return refuse();
  }
  // Node's randomFillSync checks offset and size exactly as randomFill does, but reads a missing offset as 0.
  if (offset === undefined) return refuse();
  realCrypto.randomFillSync(buf, offset, size);
  const [start, length] = byteRange(buf, offset as number, size as number | undefined);
  if (length === 0) {
    (callback as AnyFunction)(null, buf); // as Node: at once
    return undefined;
  }
  fillSeeded(execution, buf, start, length);
  callBackLater(callback as AnyFunction, [null, buf], randomFillV);
  return undefined;
}

/** The largest integer Node's randomInt reads from 6 random bytes. */
const RAND_MAX = 0xffff_ffff_ffff;

/** `randomInt([min, ]max[, callback])`, drawn as Node draws it: 6 bytes, big-endian, rejection sampling. */
function randomIntV(this: unknown, ...args: unknown[]): unknown {
  const execution = activeExecution();
  let [min, max, callback] = args;
  const minNotSpecified = max === undefined || typeof max === 'function';
  if (minNotSpecified) {
    callback = max;
    max = min;
    min = 0;
  }
  const isSync = callback === undefined;
  const accepted =
    (isSync || typeof callback === 'function') &&
    Number.isSafeInteger(min) &&
    Number.isSafeInteger(max) &&
    (max as number) > (min as number) &&
    (max as number) - (min as number) <= RAND_MAX;
  if (execution === undefined || !accepted) return Reflect.apply(realCrypto.randomInt, this, args);
  const range = (max as number) - (min as number);
  const randLimit = RAND_MAX - (RAND_MAX % range);
  const bytes = Buffer.alloc(6);
  let x: number;
  do {
    fillSeeded(execution, bytes);
    x = bytes.readUIntBE(0, 6);
  } while (x >= randLimit);
  const n = (x % range) + (min as number);
  if (isSync) return n;
  process.nextTick(callback as AnyFunction, undefined, n);
  return undefined;
}

named('random', randomV);
named('getRandomValues', getRandomValuesV);
named('randomBytes', randomBytesV);
named('randomFillSync', randomFillSyncV);
named('randomFill', randomFillV);
named('randomInt', randomIntV);
const webRandomUUIDV = uuidStandIn(realCrypto.randomUUID);
const nodeRandomUUIDV = uuidStandIn(realCrypto.nodeRandomUUID);

/**
 * The randomness stand-ins. Those that may call back in a step of its own also arm a timer:
 * they count as touching everything (the scenario's generator and the timer queue).
 */
export function randomPatches(): Patch[] {
  return [
    { target: Math, key: 'random', value: randomV, effect: 'random' },
    { target: cryptoPrototype, key: 'getRandomValues', value: getRandomValuesV, effect: 'random' },
    { target: cryptoPrototype, key: 'randomUUID', value: webRandomUUIDV, effect: 'random' },
    { target: cryptoModule, key: 'randomUUID', value: nodeRandomUUIDV, effect: 'random' },
    { target: cryptoModule, key: 'randomFillSync', value: randomFillSyncV, effect: 'random' },
    { target: cryptoModule, key: 'randomBytes', value: randomBytesV, effect: 'opaqueStep' },
    { target: cryptoModule, key: 'randomFill', value: randomFillV, effect: 'opaqueStep' },
    { target: cryptoModule, key: 'randomInt', value: randomIntV, effect: 'random' },
  ];
}
