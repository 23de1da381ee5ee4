import { activeExecution } from './active-execution.js';
import type { Patch } from './patch.js';
import { named } from './patch.js';
import { currentTask } from './task-context.js';

/**
 * Thrown by the stand-in for `process.exit` during a run, to unwind the code that called it.
 * The run has already ended as an `exit` violation: code that catches this does not bring it
 * back, since no later step of it is run.
 */
export class ExitCalled extends Error {
  override readonly name = 'ExitCalled';
}

const realExit = process.exit;

/**
 * `process.exit` while an execution is active: in Node the process would end there, with the
 * other tasks' work unfinished and whatever they would write never written; race-hunt reports
 * that as an `exit` violation with the trace that led to it, instead of ending (and taking the
 * report with it). Outside a run it is the real one.
 */
function exitV(this: unknown, code?: number | string | null): never {
  const execution = activeExecution();
  if (execution === undefined) return realExit.call(process, code ?? undefined);
  const task = currentTask();
  const who = task === undefined ? 'outside the tasks' : task.index < 0 ? `in ${task.name}` : `in task ${task.name}`;
  const error = new ExitCalled(`process.exit(${code === undefined ? '' : JSON.stringify(code)}) was called ${who}: the process would end here, with the other tasks' work unfinished`);
  Error.captureStackTrace(error, exitV);
  execution.report({ kind: 'exit', message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) });
  throw error;
}

export function processExitPatches(): Patch[] {
  return [{ target: process, key: 'exit', value: named('exit', exitV), effect: 'none' }];
}
