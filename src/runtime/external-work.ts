import { noteRealIo } from './uncontrolled.js';

/**
 * Work the scheduler does not drive but must wait for before it may call a run deadlocked:
 * dynamic imports (Node's loader works off the main thread) and real I/O. FINDINGS: without
 * this, a quiescence test based only on setImmediate declares false deadlocks under load.
 */
let importsInFlight = 0;

/** Tracks a dynamic `import()` until it settles (instrumented code calls this). */
export function trackImport<T>(promise: Promise<T>): Promise<T> {
  importsInFlight++;
  const done = (): void => {
    importsInFlight--;
  };
  promise.then(done, done);
  return promise;
}

/** Handles that are open but not work in flight: stdio, timers of race-hunt's own, listeners. */
const IDLE_RESOURCES = new Set(['TTYWrap', 'PipeWrap', 'Timeout', 'Immediate', 'SignalWrap', 'MessagePort', 'TCPServerWrap', 'StatWatcher', 'FSEventWrap']);

/** True while an import or a real I/O request is under way; the kinds of real I/O seen are noted for the report. */
export function externalWorkInFlight(): boolean {
  let busy = importsInFlight > 0;
  for (const kind of process.getActiveResourcesInfo()) {
    if (IDLE_RESOURCES.has(kind)) continue;
    busy = true;
    noteRealIo(kind);
  }
  return busy;
}
