import { types } from 'node:util';
import { awaitPoint } from './await-point.js';
import { currentTask } from './task-context.js';
import { recordCall } from './tracking-globals.js';

// The keys esbuild's `__using` helper reads (it falls back on `Symbol.for` where the symbols are missing).
const ASYNC_DISPOSE: symbol = Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose');
const DISPOSE: symbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * `await using x = X` runs as `await using x = __rh$using(X, "LOC")`: the await of `X`'s disposal,
 * at the end of the scope, becomes a scheduling point. Node 20 has no `await using`: tsx (esbuild)
 * lowers it after race-hunt's hook has seen the TypeScript, and the `await` it writes is never
 * instrumented. The declaration reads the dispose method once, right after its initialiser (esbuild's
 * `__using`, and the spec's GetDisposeMethod, alike), and calls that method at the end of the scope.
 *
 * So `X` itself is returned, the bound value unchanged, with a one-shot own accessor shadowing
 * `X[Symbol.asyncDispose]`. The declaration's read, which comes next with nothing in between, runs
 * the accessor: it puts the object back as it was, reads the method there (a getter of the user's
 * runs once, then, as it would have), and hands the declaration a method that calls it and gates
 * what it returns. An object with only `Symbol.dispose` gets the same, built on the read of
 * `Symbol.dispose` that the declaration would have made next: it calls the method, drops its result
 * and gates `undefined` (or the rejection), as the declaration's own wrapper does.
 *
 * Left as they are (not gated): values outside a task, primitives, `null`, proxies (defining a
 * property would run their traps), objects that cannot take the accessor (frozen or non-extensible,
 * a non-configurable own dispose method).
 */
export function awaitUsingPoint(value: unknown, location: string): unknown {
  if (currentTask() === undefined) return value;
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return value;
  const target = value as object;
  if (types.isProxy(target)) return value;
  const own = Object.getOwnPropertyDescriptor(target, ASYNC_DISPOSE);
  if (own === undefined ? !Object.isExtensible(target) : own.configurable !== true) return value;
  Object.defineProperty(target, ASYNC_DISPOSE, {
    configurable: true,
    enumerable: false,
    get(): unknown {
      if (own === undefined) Reflect.deleteProperty(target, ASYNC_DISPOSE);
      else Object.defineProperty(target, ASYNC_DISPOSE, own);
      return gatedDisposeMethod(target, location);
    },
  });
  return value;
}

/** What the declaration's read of `Symbol.asyncDispose` returns: the method, its result gated. */
function gatedDisposeMethod(target: object, location: string): unknown {
  const method = (target as Record<symbol, unknown>)[ASYNC_DISPOSE];
  if (typeof method === 'function') {
    return function gatedAsyncDispose(this: unknown): unknown {
      recordCall(method, this);
      return awaitPoint(Reflect.apply(method as Method, this, []), location);
    };
  }
  // A non-function other than undefined: the declaration throws its TypeError.
  if (method !== undefined) return method;
  const sync = (target as Record<symbol, unknown>)[DISPOSE];
  // Not disposable: the declaration reads Symbol.dispose again (a getter runs twice, before a TypeError).
  if (typeof sync !== 'function') return undefined;
  return function gatedDispose(this: unknown): unknown {
    recordCall(sync, this);
    try {
      Reflect.apply(sync as Method, this, []);
    } catch (error) {
      return awaitPoint(Promise.reject(error), location);
    }
    return awaitPoint(undefined, location);
  };
}
