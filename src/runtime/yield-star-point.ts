import { awaitPoint } from './await-point.js';
import { currentTask } from './task-context.js';
import { recordCall, recordOpaqueStep, recordReadAll } from './tracking-globals.js';

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Iterator = Record<string, unknown>;

/**
 * `yield* X` in an async generator runs as `yield* __rh$yieldStar(X, "LOC")`: every step of the
 * delegation (the await of each `next`, `return` and `throw` result) becomes a scheduling point.
 *
 * `yield*` gets X's iterator right after evaluating X; so does this, with the same reads in the
 * same order (`X[Symbol.asyncIterator]`, else `X[Symbol.iterator]`, the call, then the iterator's
 * `next`, read once), and returns an iterable whose iterator is the gated one. `return` and `throw`
 * are getters that read the delegate's method when `yield*` asks for it, so a delegate without one
 * is treated as `yield*` treats it. A sync iterable goes through the engine's own async-from-sync
 * iterator (this iterable offers no `Symbol.asyncIterator`): only the values it awaits are gated.
 *
 * Outside a task, and for values that have no iterator (`yield*` then throws its own TypeError,
 * reading them again), X itself is returned.
 */
export function yieldStarPoint(iterable: unknown, location: string): unknown {
  if (currentTask() === undefined || iterable === null || iterable === undefined) return iterable;
  const source = iterable as Record<symbol, unknown>;
  const asyncMethod = source[Symbol.asyncIterator];
  if (asyncMethod !== undefined && asyncMethod !== null) {
    if (typeof asyncMethod !== 'function') return iterable;
    const iterator = iteratorFrom(asyncMethod as Method, iterable, 'Symbol.asyncIterator');
    const gated = gatedAsyncIterator(iterator, iterable, location);
    return { [Symbol.asyncIterator]: () => gated };
  }
  const syncMethod = source[Symbol.iterator];
  if (typeof syncMethod !== 'function') return iterable;
  const iterator = iteratorFrom(syncMethod as Method, iterable, 'Symbol.iterator');
  const gated = gatedSyncIterator(iterator, iterable, BUILTIN_ITERATOR_METHODS.has(syncMethod), location);
  return { [Symbol.asyncIterator]: undefined, [Symbol.iterator]: () => gated };
}

function iteratorFrom(method: Method, iterable: unknown, name: string): Iterator {
  const iterator = Reflect.apply(method, iterable, []);
  if ((typeof iterator !== 'object' || iterator === null) && typeof iterator !== 'function') {
    throw new TypeError(`Result of the ${name} method is not an object`);
  }
  return iterator as Iterator;
}

/** Each result the delegate's `next`, `return` or `throw` returns is awaited through a gate. */
function gatedAsyncIterator(iterator: Iterator, iterable: unknown, location: string): object {
  const next = iterator.next;
  const step = (method: unknown, args: unknown[]): unknown => {
    report(method, iterator, iterable);
    return awaitPoint(Reflect.apply(method as Method, iterator, args), location);
  };
  return stepping(iterator, next, step);
}

/**
 * A sync delegate, wrapped for the engine's async-from-sync iterator: each result is read as that
 * iterator reads it (`done`, then `value`) and handed on with its value gated, which that iterator
 * then awaits. A result that is not an object is handed on as it is, for it to reject.
 * `readsIterable`: the iterator is the built-in one of `iterable` (an array's, a map's…).
 */
function gatedSyncIterator(iterator: Iterator, iterable: unknown, readsIterable: boolean, location: string): object {
  const next = iterator.next;
  const step = (method: unknown, args: unknown[]): unknown => {
    if (BUILTIN_ITERATOR_NEXTS.has(method)) reportBuiltinStep(iterable, readsIterable);
    else report(method, iterator, iterable);
    const result = Reflect.apply(method as Method, iterator, args);
    if ((typeof result !== 'object' || result === null) && typeof result !== 'function') return result;
    const { done, value } = result as { done: unknown; value: unknown };
    return { done, value: awaitPoint(value, location) };
  };
  return stepping(iterator, next, step);
}

/** An iterator whose `next`, `return` and `throw` go through `step` (the last two read from the delegate when asked). */
function stepping(iterator: Iterator, next: unknown, step: (method: unknown, args: unknown[]) => unknown): object {
  return {
    next: (...args: unknown[]) => step(next, args),
    get return() {
      return forwarded(iterator, 'return', step);
    },
    get throw() {
      return forwarded(iterator, 'throw', step);
    },
  };
}

/** The delegate's `return` or `throw`, read now: absent or not a function, as it is; else made to step through `step`. */
function forwarded(iterator: Iterator, key: 'return' | 'throw', step: (method: unknown, args: unknown[]) => unknown): unknown {
  const method = iterator[key];
  if (typeof method !== 'function') return method;
  return (...args: unknown[]) => step(method, args);
}

/** With dpor: each step reads the iterable again (as a loop's does) and calls the delegate's method. */
function report(method: unknown, iterator: Iterator, iterable: unknown): void {
  recordReadAll(iterable);
  recordCall(method, iterator);
}

/**
 * With dpor, a step of a built-in iterator: it reads the collection it iterates, which is `iterable`
 * when the iterator is that collection's own; otherwise (`yield* map.values()`) a collection this
 * cannot name, and the step conflicts with every other.
 */
function reportBuiltinStep(iterable: unknown, readsIterable: boolean): void {
  recordReadAll(iterable);
  if (!readsIterable) recordOpaqueStep();
}

const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as { values: unknown };
/** The built-in `[Symbol.iterator]` methods whose iterator reads the object it was called on. */
const BUILTIN_ITERATOR_METHODS: ReadonlySet<unknown> = new Set([
  Array.prototype[Symbol.iterator],
  typedArrayPrototype.values,
  Map.prototype[Symbol.iterator],
  Set.prototype[Symbol.iterator],
  String.prototype[Symbol.iterator],
]);
/** The `next` methods of the built-in iterators (arrays', typed arrays', maps', sets', strings'). */
const BUILTIN_ITERATOR_NEXTS: ReadonlySet<unknown> = new Set(
  [[][Symbol.iterator](), new Map()[Symbol.iterator](), new Set()[Symbol.iterator](), ''[Symbol.iterator]()].map(
    (iterator) => (Object.getPrototypeOf(iterator) as { next: unknown }).next,
  ),
);
