import { promiseHooks } from 'node:v8';
import { currentTask } from './task-context.js';

/** Where a native await ran: the top JavaScript frame of the promise it made. */
export interface AwaitFrame {
  /** The script's name: a `file:` URL (ES modules), a path (CommonJS), `undefined` for eval'd code. */
  readonly file: string | undefined;
  /** For code built with `eval` or `new Function`: V8's description of where (`eval at f (file:///a.mjs:3:7)`). */
  readonly evalOrigin: string | undefined;
  readonly line: number;
  readonly column: number;
}

const PROMISE_HOOKS_FRAME = 'node:internal/promise_hooks';
/** Node's fan-out frame (when several hooks are on), the await's frame, and one to spare. */
const FRAMES = 3;

let stop: (() => void) | undefined;
let sink: ((frame: AwaitFrame) => void) | undefined;
/** The promise of the last await seen: a promise whose parent it is belongs to the same await. */
let lastAwait: Promise<unknown> | undefined;

/**
 * Counts the awaits that ran natively in the user's tasks, for a census run only (a promise hook
 * of its own, so other runs pay nothing).
 *
 * How (each step checked with plain Node scripts in test/fidelity/uncontrolled/): an `await v`
 * makes a promise whose parent is the awaited promise (for a value that is not a native promise,
 * two: a wrapper, then one whose parent is the wrapper); the top frame of its stack is the async
 * function, at the await. A `.then`, `Promise.all` and the like make promises too, but their top
 * frame is the built-in (no file), and a promise made by `new Promise` or an async function's
 * call has no parent. Instrumented code awaits race-hunt's gate, and so makes such a promise too:
 * `sink` tells those apart by their file (see `uncontrolled.ts`).
 */
export function startAwaitCensus(onAwait: (frame: AwaitFrame) => void): void {
  stopAwaitCensus();
  sink = onAwait;
  stop = promiseHooks.createHook({ init: censusInit }) as () => void;
}

export function stopAwaitCensus(): void {
  stop?.();
  stop = undefined;
  sink = undefined;
  lastAwait = undefined;
}

function censusInit(promise: Promise<unknown>, parent: Promise<unknown> | undefined): void {
  if (parent === undefined) return;
  const task = currentTask();
  // Only the user's tasks: setup and checks (index -1) are not explored anyway.
  if (task === undefined || task.index < 0) return;
  if (parent === lastAwait) {
    // The second promise of `await value`: the same await.
    lastAwait = undefined;
    return;
  }
  try {
    const frame = awaitFrame();
    if (frame === undefined) return;
    lastAwait = promise;
    sink?.(frame);
  } catch {
    // A promise hook must never throw: the census misses this one.
  }
}

type CallSites = NodeJS.CallSite[];
const callSites = (_error: Error, sites: CallSites): CallSites => sites;

/** The frame that made the promise, if it is JavaScript (a built-in's frame has no file and is no await). */
function awaitFrame(): AwaitFrame | undefined {
  const saved = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  const limit = Error.stackTraceLimit;
  let sites: CallSites;
  // Structured frames for this capture only: the user's code may format stacks meanwhile.
  Object.defineProperty(Error, 'prepareStackTrace', { value: callSites, writable: true, configurable: true });
  try {
    Error.stackTraceLimit = FRAMES;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, censusInit);
    sites = holder.stack as CallSites;
  } finally {
    Error.stackTraceLimit = limit;
    if (saved === undefined) delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    else Object.defineProperty(Error, 'prepareStackTrace', saved);
  }
  const site = sites.find((s) => s.getFileName() !== PROMISE_HOOKS_FRAME);
  if (site === undefined) return undefined;
  const file = site.getFileName() ?? undefined;
  const evalOrigin = site.isEval() ? (site.getEvalOrigin() ?? undefined) : undefined;
  if (file === undefined && evalOrigin === undefined) return undefined;
  return { file, evalOrigin, line: site.getLineNumber() ?? 0, column: site.getColumnNumber() ?? 0 };
}
