import { loadedModules } from '../instrument/loaded-modules.js';
import { RUNTIME_GLOBALS } from '../instrument/runtime-names.js';
import { awaitPoint } from './await-point.js';
import { awaitUsingPoint } from './await-using-point.js';
import { trackImport } from './external-work.js';
import { bindToCreator } from './own-closures.js';
import { promiseCallPoint } from './promise-call-point.js';
import { installTrackingGlobals } from './tracking-globals.js';
import { yieldStarPoint } from './yield-star-point.js';

/*
 * The functions instrumented code calls (see RUNTIME_GLOBALS for the table). Outside a task
 * (module top level, checks run outside the scheduler) they are transparent: `await
 * __rh$await(x)` behaves as `await x`.
 */
export { awaitPoint };

type AnyIterator = {
  next(value?: unknown): unknown;
  return?(value?: unknown): unknown;
  throw?(value?: unknown): unknown;
};

/** `for await (x of iterable)`: each `next()` result becomes a scheduling point. */
export function forAwaitPoint(iterable: unknown, location: string): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      const inner = asyncIteratorOf(iterable);
      const wrapped: AnyIterator = {
        next: (value?: unknown) => awaitPoint(inner.next(value), location),
      };
      if (typeof inner.return === 'function') wrapped.return = (value?: unknown) => inner.return!(value);
      if (typeof inner.throw === 'function') wrapped.throw = (value?: unknown) => inner.throw!(value);
      return wrapped as AsyncIterator<unknown>;
    },
  };
}

/** GetIterator(obj, async): the async iterator, or the sync one lifted so that values are awaited. */
function asyncIteratorOf(iterable: unknown): AnyIterator {
  const source = iterable as Record<symbol, (() => AnyIterator) | undefined>;
  const asyncMethod = source[Symbol.asyncIterator];
  if (typeof asyncMethod === 'function') return asyncMethod.call(iterable);
  const syncMethod = source[Symbol.iterator];
  if (typeof syncMethod !== 'function') throw new TypeError('for await: value is not async iterable');
  const sync = syncMethod.call(iterable);
  const lift = (step: unknown): Promise<IteratorResult<unknown>> => {
    const { value, done } = step as IteratorResult<unknown>;
    return Promise.resolve(value).then((v) => ({ value: v, done: done === true }));
  };
  const lifted: AnyIterator = { next: (value?: unknown) => lift(sync.next(value)) };
  if (typeof sync.return === 'function') lifted.return = (value?: unknown) => lift(sync.return!(value));
  return lifted;
}

/** Installs the instrumented code's entry points on the global object (idempotent). */
export function installGateGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g[RUNTIME_GLOBALS.await] = awaitPoint;
  g[RUNTIME_GLOBALS.forAwait] = forAwaitPoint;
  g[RUNTIME_GLOBALS.yieldStar] = yieldStarPoint;
  g[RUNTIME_GLOBALS.then] = promiseCallPoint;
  g[RUNTIME_GLOBALS.awaitUsing] = awaitUsingPoint;
  g[RUNTIME_GLOBALS.import] = trackImport;
  g[RUNTIME_GLOBALS.own] = bindToCreator;
  g[RUNTIME_GLOBALS.loaded] = (file: string): void => loadedModules.reporter.instrumented(file);
  installTrackingGlobals();
}
