/* global AbortSignal */
import { runInNode } from './run-in-node.mjs';

// AbortSignal.timeout's timer does not keep the program alive: with nothing else to do, the
// program ends without the signal aborting, listener or not, followed by AbortSignal.any or not.
export function main(seen) {
  const signal = AbortSignal.timeout(100);
  const any = AbortSignal.any([signal]);
  seen.listenerRan = false;
  signal.addEventListener('abort', () => (seen.listenerRan = true));
  any.addEventListener('abort', () => (seen.listenerRan = true));
  // Read when the program is over (at the process's exit; in the run's invariant).
  Object.defineProperty(seen, 'abortedAtEnd', { enumerable: true, get: () => signal.aborted || any.aborted });
}

runInNode(import.meta.url, main);
