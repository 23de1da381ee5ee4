import { noteRealIo } from './uncontrolled.js';
import { DYNAMIC_IMPORT } from '../core/real-io.js';

/**
 * Work the scheduler does not drive but must wait for before it may call a run deadlocked:
 * dynamic imports (Node's loader works off the main thread) and real I/O. Measured: without
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
  // A module loading for an import() is work from outside too: once loaded, later runs find it cached.
  if (busy) noteRealIo(DYNAMIC_IMPORT);
  for (const kind of process.getActiveResourcesInfo()) {
    if (IDLE_RESOURCES.has(kind)) continue;
    busy = true;
    ioSeen = true;
    noteRealIo(kind);
  }
  return busy;
}

/**
 * Set once real I/O has been seen in flight in this process: from then on every decision asks
 * what is in flight (a query costs about a tenth of a step, so scenarios without I/O skip it).
 */
let ioSeen = false;

/** True once real I/O has been seen in flight (see `ioSeen`). */
export function realIoSeen(): boolean {
  return ioSeen;
}

/**
 * Node's names for real operations that complete on their own (a file system call, a DNS
 * lookup, a connect, a write, a child process): the requests of `getActiveResourcesInfo()`,
 * not the handles that stay open waiting for the peer (sockets, servers, stdio).
 */
const REQUEST = /Req|^(?:ConnectWrap|WriteWrap|ShutdownWrap|SendWrap|ProcessWrap)$/;

/** The kinds of real I/O requests in flight now (empty when none: the common case, and cheap). */
export function realRequestsInFlight(): string[] {
  const resources = process.getActiveResourcesInfo();
  if (resources.length === 0) return resources;
  const requests = resources.filter((kind) => REQUEST.test(kind));
  if (requests.length > 0) ioSeen = true;
  for (const kind of requests) noteRealIo(kind);
  return requests;
}
