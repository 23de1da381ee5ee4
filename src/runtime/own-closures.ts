import { activeExecution } from './active-execution.js';
import { currentTask, enterTask, leaveTask } from './task-context.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Each wrapper made here, with the function it calls: what calling it does is what calling that does. */
const originals = new WeakMap<object, AnyFunction>();

/**
 * Binds an async function to the task that created it (instrumented code wraps every async
 * arrow and function expression in this): whoever calls it, its synchronous start runs as that
 * task, so the promises it makes and the awaits it reaches are that task's. A promise's
 * reaction already runs as the task that registered it; this carries the same rule to code a
 * task hands over in a plain callback queue, such as a lock that calls the next waiter's
 * function from inside the releasing task's step (async-lock does).
 *
 * A function made outside the user's tasks (at module level, in setup or a check) is returned
 * as it is, and runs as its caller; so does one called after its task's run has ended.
 */
export function bindToCreator(fn: unknown, inferredName?: string): unknown {
  const task = currentTask();
  if (typeof fn !== 'function') return fn;
  // Outside a task the function is returned as it is: give it the name its binding would have.
  if (task === undefined || task.index < 0) {
    if (fn.name === '' && inferredName !== undefined) Object.defineProperty(fn, 'name', { value: inferredName });
    return fn;
  }
  const original = fn as AnyFunction;
  const bound = function (this: unknown, ...args: unknown[]): unknown {
    // Kept past its run (module-level state), it runs as its caller: its task's run is over.
    if (task.execution !== activeExecution()) return original.apply(this, args);
    const caller = leaveTask();
    enterTask(task);
    try {
      return original.apply(this, args);
    } finally {
      enterTask(caller);
    }
  };
  // Libraries read them: async-lock picks its callback mode by `length`.
  Object.defineProperty(bound, 'length', { value: original.length });
  // An anonymous function takes its name from its binding (`const f = async () => …`), which
  // the instrumenter passes on, since the call that wraps it would hide it.
  Object.defineProperty(bound, 'name', { value: original.name === '' && inferredName !== undefined ? inferredName : original.name });
  originals.set(bound, original);
  return bound;
}

/** The function a wrapper from {@link bindToCreator} calls, or `undefined` for any other function. */
export function boundOriginal(fn: object): AnyFunction | undefined {
  return originals.get(fn);
}
