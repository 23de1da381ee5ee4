import { types } from 'node:util';
import type { PromiseMethod } from '../instrument/promise-calls.js';
import { currentTask } from './task-context.js';
import { isRecording, recordCall, recordRead } from './tracking-globals.js';

type Callback = (...args: unknown[]) => unknown;

/**
 * `E.then(f, g)` (also `catch`, `finally`) runs as `__rh$then(E, "then", LOC_F, LOC_G).then(f, g)`:
 * the invocation of each callback becomes a scheduling point, as an `await` is. When the reaction
 * fires, the callback waits for the scheduler's grant, then runs; what it returns or throws settles
 * the derived promise as it would have (through one more promise, in the same step).
 *
 * Returns `receiver` itself — so that the code's own `.then` looks the method up and calls it,
 * natively — unless it gates (a native promise, or a subclass's, in a task) or dpor records (which
 * must see the lookup and the call): then it looks `receiver[key]` up once, now (the native order:
 * the lookup before the arguments), and returns an object whose `key` method makes the call. A
 * custom thenable or a query builder with a `then` method is never handed wrapped callbacks: one
 * that calls a callback synchronously and uses its result would see a promise instead.
 *
 * Outside a task it is transparent. `location` names the fulfilment callback (and `catch`'s and
 * `finally`'s), `rejectedLocation` the rejection callback of `then`.
 */
export function promiseCallPoint(receiver: unknown, key: PromiseMethod, location: string, rejectedLocation = location): unknown {
  const gated = types.isPromise(receiver) && currentTask() !== undefined;
  if (!gated && (receiver === null || receiver === undefined || !isRecording())) return receiver;
  const method = (receiver as Record<string, unknown>)[key];
  recordRead(receiver, key);
  // Not callable: the code's own call throws its TypeError, or `?.()` short-circuits, as without us.
  if (typeof method !== 'function') return { [key]: method };
  return new PendingPromiseCall(receiver as object, method as Callback, gated, location, rejectedLocation);
}

/** The call of a promise method, its method looked up already: made when the code calls `then`/`catch`/`finally` on it. */
class PendingPromiseCall {
  constructor(
    private readonly receiver: object,
    private readonly method: Callback,
    private readonly gated: boolean,
    private readonly location: string,
    private readonly rejectedLocation: string,
  ) {}

  then(...args: unknown[]): unknown {
    if (this.gated && args.length > 0) {
      args[0] = gatedReaction(args[0], this.location, this.receiver);
      if (args.length > 1) args[1] = gatedReaction(args[1], this.rejectedLocation, this.receiver);
    }
    return this.call(args);
  }

  catch(...args: unknown[]): unknown {
    if (this.gated && args.length > 0) args[0] = gatedReaction(args[0], this.location, this.receiver);
    return this.call(args);
  }

  finally(...args: unknown[]): unknown {
    if (this.gated && args.length > 0) args[0] = gatedFinally(args[0], this.location, this.receiver);
    return this.call(args);
  }

  private call(args: unknown[]): unknown {
    recordCall(this.method, this.receiver);
    return Reflect.apply(this.method, this.receiver, args);
  }
}

/**
 * A `then`/`catch` callback as a gated continuation: called with the settled value, it waits for
 * the grant, then calls `callback` with that value (one argument, no `this`, as a reaction does).
 * Anything else passes as it is (the method replaces non-functions natively).
 *
 * The gate gets `undefined`, not the value: the value is settled already (the continuation is
 * ready at once), and a gate given a thenable would adopt it, where a rejection handler must
 * receive a rejected promise as it is. `receiver` orders the continuation with the other reactions
 * to the same promise (Node runs them in registration order, back to back).
 */
function gatedReaction(callback: unknown, location: string, receiver: object): unknown {
  if (typeof callback !== 'function') return callback;
  const run = callback as Callback;
  return (value: unknown): unknown => {
    const task = currentTask();
    if (task === undefined) return run(value);
    return task.execution.gate(task, undefined, location, receiver).then(() => run(value));
  };
}

/** A `finally` callback as a gated continuation: called with no arguments, as `finally` calls it. */
function gatedFinally(callback: unknown, location: string, receiver: object): unknown {
  if (typeof callback !== 'function') return callback;
  const run = callback as Callback;
  return (): unknown => {
    const task = currentTask();
    if (task === undefined) return run();
    return task.execution.gate(task, undefined, location, receiver).then(() => run());
  };
}
