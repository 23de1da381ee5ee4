import { RUNTIME_GLOBALS } from '../instrument/runtime-names.js';
import { boundOriginal } from './own-closures.js';

/**
 * What calling a function does to memory that race-hunt tracks, for partial-order
 * reduction. Instrumented functions (tracking mode marks every body with `__rh$fn`) report
 * their own accesses; built-ins are modelled here; anything else is code race-hunt cannot
 * see into.
 *
 * - `none`: touches nothing another task can see (or what it touches is reported otherwise:
 *   a promise's settling by the promise hooks, a callback's accesses by the callback).
 * - `readReceiver` / `writeReceiver`: reads or writes every property of `this`.
 * - `readEverything`: reads its arguments in ways race-hunt cannot follow (deeply, or by
 *   converting them to primitives), so it may read anything.
 * - `opaqueStep`: may write objects race-hunt cannot name: the step conflicts with every step.
 * - `timers` / `random`: reads and writes the virtual timer queue / the scenario's randomness.
 * - `settle`: a promise's resolve or reject function. The promise hooks see a promise settle,
 *   but not a losing attempt (a second `resolve()`), which must still be ordered against the
 *   winning one: every call counts as a write of one location shared by all of them.
 * - `callTarget`: `Function.prototype.call`/`apply`: what the function called does.
 * - `unknown`: code race-hunt cannot see into: every later step conflicts with every other.
 */
export type Effect =
  | 'user'
  | 'none'
  | 'readReceiver'
  | 'writeReceiver'
  | 'readEverything'
  | 'opaqueStep'
  | 'timers'
  | 'random'
  | 'settle'
  | 'callTarget'
  | 'unknown';

/** The marker tracking-mode instrumentation puts at the start of every function body. */
const TRACKED_MARK = RUNTIME_GLOBALS.functionMark;

type AnyFunction = (...args: unknown[]) => unknown;

const functionToString = Function.prototype.toString;

/** Classifies functions, caching per function object (the built-ins' table is made once). */
export class EffectTable {
  private readonly known = new Map<unknown, Effect>();
  private readonly seen = new WeakMap<object, Effect>();

  /** `overrides`: race-hunt's stand-ins for timers, clock and randomness, with their effects. */
  constructor(overrides: ReadonlyMap<unknown, Effect>) {
    addBuiltins(this.known);
    for (const [fn, effect] of overrides) this.known.set(fn, effect);
  }

  effectOf(fn: AnyFunction): Effect {
    const cached = this.seen.get(fn);
    if (cached !== undefined) return cached;
    const effect = this.known.get(fn) ?? classify(fn);
    this.seen.set(fn, effect);
    return effect;
  }
}

function classify(fn: AnyFunction): Effect {
  let text: string;
  try {
    text = functionToString.call(fn);
  } catch {
    return 'unknown';
  }
  if (text.includes(TRACKED_MARK)) return 'user';
  // A tracked async function bound to the task that made it: the wrapper only calls it.
  const original = boundOriginal(fn);
  if (original !== undefined) return classify(original);
  // A promise's resolve or reject function: anonymous, one parameter, built in.
  if (text.endsWith('{ [native code] }') && fn.name === '' && fn.length === 1) return 'settle';
  return 'unknown';
}

function addBuiltins(table: Map<unknown, Effect>): void {
  const add = (owner: object | undefined, names: readonly (string | symbol)[], effect: Effect): void => {
    if (owner === undefined) return;
    for (const name of names) {
      const descriptor = Object.getOwnPropertyDescriptor(owner, name);
      if (typeof descriptor?.value === 'function') table.set(descriptor.value, effect);
    }
  };
  const own = (owner: object): string[] =>
    Object.getOwnPropertyNames(owner).filter((n) => typeof Object.getOwnPropertyDescriptor(owner, n)?.value === 'function');

  add(globalThis, ['Promise', 'Symbol', 'Boolean', 'Object', 'Array', 'WeakRef'], 'none');
  // Their constructors iterate the argument they are given.
  add(globalThis, ['Map', 'Set', 'WeakMap', 'WeakSet'], 'readEverything');
  add(Promise, ['resolve', 'reject', 'withResolvers'], 'none');
  // Which input settles first decides their outcome, and a losing settle fires no promise
  // hook. tracking-globals.ts redirects `Promise.all(…)` & co. to versions that report every
  // settle; any other way of calling them is code race-hunt cannot follow.
  add(Promise, ['all', 'allSettled', 'race', 'any'], 'unknown');
  add(Promise.prototype, ['then', 'catch', 'finally'], 'writeReceiver');
  add(Symbol, ['for', 'keyFor'], 'none');
  add(Object, ['is', 'create'], 'none');
  add(Object, own(Object).filter((n) => !['is', 'create'].includes(n)), 'readEverything');
  add(Object, ['assign', 'defineProperty', 'defineProperties', 'freeze', 'seal', 'preventExtensions', 'setPrototypeOf'], 'opaqueStep');
  add(Object.prototype, ['hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'valueOf'], 'readReceiver');
  add(Object.prototype, ['toString', 'toLocaleString'], 'readEverything');
  add(Array, ['isArray', 'of'], 'none');
  add(Array, ['from', 'fromAsync'], 'readEverything');
  add(Array.prototype, own(Array.prototype), 'readReceiver');
  add(Array.prototype, [Symbol.iterator], 'readReceiver');
  add(Array.prototype, ['push', 'pop', 'shift', 'unshift', 'splice', 'reverse', 'fill', 'copyWithin'], 'writeReceiver');
  // Conversions of the elements to strings may read nested arrays; the default sort converts too.
  add(Array.prototype, ['join', 'toString', 'toLocaleString', 'concat', 'flat'], 'readEverything');
  add(Array.prototype, ['sort'], 'opaqueStep');
  for (const collection of [Map.prototype, Set.prototype, WeakMap.prototype, WeakSet.prototype]) {
    add(collection, own(collection), 'readReceiver');
    add(collection, ['set', 'add', 'delete', 'clear'], 'writeReceiver');
  }
  add(Map.prototype, [Symbol.iterator], 'readReceiver');
  add(Set.prototype, [Symbol.iterator], 'readReceiver');
  // On a primitive receiver these read nothing shared; the ones taking a pattern may run a
  // RegExp's methods and write its lastIndex.
  add(String.prototype, own(String.prototype), 'readReceiver');
  add(String.prototype, ['match', 'matchAll', 'replace', 'replaceAll', 'search', 'split', 'concat', 'localeCompare'], 'opaqueStep');
  for (const proto of [Number.prototype, Boolean.prototype, Symbol.prototype, BigInt.prototype]) add(proto, own(proto), 'readReceiver');
  add(RegExp.prototype, own(RegExp.prototype), 'writeReceiver');
  add(Date.prototype, own(Date.prototype), 'readReceiver');
  add(Date.prototype, own(Date.prototype).filter((n) => n.startsWith('set')), 'writeReceiver');
  add(Function.prototype, ['call', 'apply'], 'callTarget');
  add(Function.prototype, ['toString'], 'readReceiver');
  add(Error.prototype, ['toString'], 'readEverything');
  // Converting arguments to numbers or strings may run conversions of objects.
  add(Math, own(Math), 'readEverything');
  add(Number, own(Number), 'readEverything');
  add(Number, ['isInteger', 'isFinite', 'isNaN', 'isSafeInteger'], 'none');
  add(globalThis, ['String', 'Number', 'BigInt', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'structuredClone'], 'readEverything');
  add(globalThis, ['encodeURI', 'encodeURIComponent', 'decodeURI', 'decodeURIComponent'], 'readEverything');
  add(globalThis, ['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError'], 'readEverything');
  add(JSON, ['parse'], 'none');
  add(JSON, ['stringify'], 'readEverything');
  add(Reflect, ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'isExtensible'], 'readEverything');
  add(Reflect, ['set', 'defineProperty', 'deleteProperty', 'setPrototypeOf', 'preventExtensions'], 'opaqueStep');
  // What is printed is no state a check can see; getters it runs are reported by themselves.
  add(console, own(console), 'none');
  const generatorProto = Object.getPrototypeOf(function* () {}).prototype as object;
  const asyncGeneratorProto = Object.getPrototypeOf(async function* () {}).prototype as object;
  add(generatorProto, ['next', 'return', 'throw'], 'writeReceiver');
  add(asyncGeneratorProto, ['next', 'return', 'throw'], 'writeReceiver');
}
