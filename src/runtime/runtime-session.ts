import { describeError } from './describe-error.js';
import { activeExecution } from './active-execution.js';
import { internalFailureOf } from './failed-executions.js';
import { installGateGlobals } from './gate-globals.js';
import { suspendPretenuring } from './gc-tuning.js';
import { closeMacrotasks } from './macrotask.js';
import { installCallbackCounting, uninstallCallbackCounting } from './queued-callbacks.js';
import { disableTaskContext, enableTaskContext, taskOfPromise } from './task-context.js';
import { installVirtualEnvironment, uninstallVirtualEnvironment } from './virtual-environment.js';

function onUnhandledRejection(reason: unknown, promise: Promise<unknown>): void {
  const execution = activeExecution();
  const owner = taskOfPromise(promise);
  // A late rejection from an execution that already ended belongs to nobody now.
  if (execution === undefined || (owner !== undefined && owner.execution !== execution)) return;
  // After race-hunt failed in this execution, what goes wrong is its fallout, not a finding.
  if (internalFailureOf(execution) !== undefined) return;
  const { message, stack } = describeError(reason);
  execution.report({ kind: 'exception', message: `unhandled rejection: ${message}`, ...(stack === undefined ? {} : { stack }) });
}

function onUncaughtException(error: unknown): void {
  const execution = activeExecution();
  if (execution !== undefined && internalFailureOf(execution) !== undefined) return;
  const { message, stack } = describeError(error);
  if (execution !== undefined) {
    execution.report({ kind: 'exception', message: `uncaught exception: ${message}`, ...(stack === undefined ? {} : { stack }) });
    return;
  }
  process.stderr.write(`race-hunt: an exception escaped outside any run: ${message}\n`);
  process.exitCode = 2;
}

let depth = 0;
let resumePretenuring: (() => void) | undefined;

/**
 * Prepares the process to run scenarios: the instrumented code's entry points, virtual
 * time and randomness, task identity, and listeners that turn stray errors into findings.
 * Returns a function that undoes it (sessions nest; the last close undoes).
 */
export function openRuntimeSession(): () => void {
  if (depth++ === 0) {
    installGateGlobals();
    installVirtualEnvironment();
    enableTaskContext();
    installCallbackCounting();
    resumePretenuring = suspendPretenuring();
    process.on('unhandledRejection', onUnhandledRejection);
    process.on('uncaughtException', onUncaughtException);
  }
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    if (--depth === 0) {
      process.off('unhandledRejection', onUnhandledRejection);
      process.off('uncaughtException', onUncaughtException);
      disableTaskContext();
      uninstallCallbackCounting();
      resumePretenuring?.();
      resumePretenuring = undefined;
      closeMacrotasks();
      uninstallVirtualEnvironment();
    }
  };
}
