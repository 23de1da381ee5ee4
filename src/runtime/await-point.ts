import { types } from 'node:util';
import { currentTask } from './task-context.js';

/**
 * `await __rh$await(x, loc)`: in a task, the scheduler's gate, which settles as `x` once the
 * continuation is granted. Outside a task (module top level, checks run outside the scheduler)
 * it is transparent: `x` itself, so the code behaves as `await x`.
 */
export function awaitPoint(value: unknown, location: string): unknown {
  const task = currentTask();
  if (task === undefined) return value;
  // A proxy is awaited as Node awaits it, its `then` read once, now (a revoked one rejects the
  // await): the gate's own look at it would run its traps, and a revoked proxy's throw.
  return task.execution.gate(task, types.isProxy(value) ? Promise.resolve(value) : value, location);
}
