import { types } from 'node:util';
import type { PromiseMethod } from '../instrument/promise-calls.js';
import { currentTask, runAsTask } from './task-context.js';
import { isRecording, recordCall, recordRead } from './tracking-globals.js';
import { isObjectLike } from '../core/is-object-like.js';

type Callback = (...args: unknown[]) => unknown;

/**
 * `E.then(f, g)` (also `catch`, `finally`) runs as `__rh$then(E, "then", LOC_F, LOC_G).then(f, g)`:
 * the invocation of each callback becomes a scheduling point, as an `await` is. When the reaction
 * fires, the callback waits for the scheduler's grant, then runs; what it returns or throws settles
 * the derived promise as it would have (through one more promise, in the same step).
 *
 * Returns `receiver` itself — so that the code's own `.then` looks the method up and calls it,
 * natively — unless it gates (any object, in a task) or dpor records (which must see the lookup and
 * the call): then it looks `receiver[key]` up once, now (the native order: the lookup before the
 * arguments), and returns an object whose `key` method makes the call.
 *
 * Promise libraries (when.js, Q, bluebird) are gated as native promises are: they call callbacks
 * later, from a queue of their own drained in a tick or an immediate, and adopt what a callback
 * returns. A thenable that calls a callback synchronously, during the `then` call itself (a sync
 * "promise", a query builder that runs at once), gets it unwrapped in effect: a callback invoked
 * while its `then` call is still on the stack runs at once and returns its own result.
 *
 * Outside a task it is transparent. `location` names the fulfilment callback (and `catch`'s and
 * `finally`'s), `rejectedLocation` the rejection callback of `then`.
 */
export function promiseCallPoint(receiver: unknown, key: PromiseMethod, location: string, rejectedLocation = location): unknown {
  const gated = currentTask() !== undefined && (types.isPromise(receiver) || isObjectLike(receiver));
  if (!gated && (receiver === null || receiver === undefined || !isRecording())) return receiver;
  const method = (receiver as Record<string, unknown>)[key];
  recordRead(receiver, key);
  // Not callable: the code's own call throws its TypeError, or `?.()` short-circuits, as without us.
  if (typeof method !== 'function') return { [key]: method };
  return new PendingPromiseCall(receiver as object, method as Callback, gated, location, rejectedLocation);
}

/** The call of a promise method, its method looked up already: made when the code calls `then`/`catch`/`finally` on it. */
class PendingPromiseCall {
  /** True while the method runs: a callback invoked then was called synchronously, not as a reaction. */
  calling = false;

  constructor(
    private readonly receiver: object,
    private readonly method: Callback,
    private readonly gated: boolean,
    private readonly location: string,
    private readonly rejectedLocation: string,
  ) {}

  then(...args: unknown[]): unknown {
    if (this.gated && args.length > 0) {
      args[0] = gatedReaction(args[0], this.location, this);
      if (args.length > 1) args[1] = gatedReaction(args[1], this.rejectedLocation, this);
    }
    return this.call(args);
  }

  catch(...args: unknown[]): unknown {
    if (this.gated && args.length > 0) args[0] = gatedReaction(args[0], this.location, this);
    return this.call(args);
  }

  finally(...args: unknown[]): unknown {
    if (this.gated && args.length > 0) args[0] = gatedFinally(args[0], this.location, this);
    return this.call(args);
  }

  /** The promise the callbacks are registered on: it orders them with its other reactions. */
  get orderKey(): object {
    return this.receiver;
  }

  private call(args: unknown[]): unknown {
    recordCall(this.method, this.receiver);
    this.calling = true;
    try {
      return Reflect.apply(this.method, this.receiver, args);
    } finally {
      this.calling = false;
    }
  }
}

/**
 * A `then`/`catch` callback as a gated continuation: called with the settled value, it waits for
 * the grant, then calls `callback` with that value (one argument, no `this`, as a reaction does).
 * Anything else passes as it is (the method replaces non-functions natively).
 *
 * It belongs to the task that registered it (a library's queue may call it from another task's
 * tick), and it gates only when called as a reaction: called during the `then` call itself, it
 * runs at once (see promiseCallPoint).
 *
 * The gate gets `undefined`, not the value: the value is settled already (the continuation is
 * ready at once), and a gate given a thenable would adopt it, where a rejection handler must
 * receive a rejected promise as it is. The receiver orders the continuation with the other
 * reactions to the same promise (Node runs them in registration order, back to back).
 */
function gatedReaction(callback: unknown, location: string, call: PendingPromiseCall): unknown {
  if (typeof callback !== 'function') return callback;
  const run = callback as Callback;
  const owner = currentTask()!;
  return (value: unknown): unknown => {
    if (call.calling) return run(value);
    // Registered as the owner, so that the callback runs as it (see task-context.ts).
    return runAsTask(owner, () => owner.execution.gate(owner, undefined, location, call.orderKey).then(() => run(value)));
  };
}

/** A `finally` callback as a gated continuation: called with no arguments, as `finally` calls it. */
function gatedFinally(callback: unknown, location: string, call: PendingPromiseCall): unknown {
  if (typeof callback !== 'function') return callback;
  const run = callback as Callback;
  const owner = currentTask()!;
  return (): unknown => {
    if (call.calling) return run();
    return runAsTask(owner, () => owner.execution.gate(owner, undefined, location, call.orderKey).then(() => run()));
  };
}
