import { currentTask } from './task-context.js';

/**
 * `await __rh$await(x, loc)`: in a task, the scheduler's gate, which settles as `x` once the
 * continuation is granted. Outside a task (module top level, checks run outside the scheduler)
 * it is transparent: `x` itself, so the code behaves as `await x`.
 */
export function awaitPoint(value: unknown, location: string): unknown {
  const task = currentTask();
  if (task === undefined) return value;
  return task.execution.gate(task, value, location);
}
