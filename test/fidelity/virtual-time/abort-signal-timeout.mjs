/* global AbortSignal, AbortController, DOMException */
import { setTimeout as sleep } from 'node:timers/promises';
import { roughly, runInNode } from './run-in-node.mjs';

// AbortSignal.timeout(ms) aborts after ms with a DOMException named TimeoutError; it does not
// use the global setTimeout (a replacement is never called); AbortSignal.any follows it.
export async function main(seen) {
  const started = performance.now();
  const saved = globalThis.setTimeout;
  let replacementCalls = 0;
  globalThis.setTimeout = (...args) => {
    replacementCalls++;
    return saved(...args);
  };
  const signal = AbortSignal.timeout(100);
  globalThis.setTimeout = saved;
  const any = AbortSignal.any([signal, new AbortController().signal]);
  seen.order = [];
  signal.addEventListener('abort', () => {
    seen.order.push('abort');
    seen.after = roughly(performance.now() - started, 50);
    const reason = signal.reason;
    seen.reason = { isDOMException: reason instanceof DOMException, name: reason.name, message: reason.message, code: reason.code };
  });
  // The signal's own listeners run first, then the signals that follow it abort.
  any.addEventListener('abort', () => seen.order.push(any.reason === signal.reason ? 'any, with the same reason' : 'any'));
  seen.abortedAtOnce = signal.aborted;
  seen.replacementCalls = replacementCalls;
  // Something else keeps the program alive past the signal's deadline.
  await sleep(300);
  seen.order.push('slept');
}

runInNode(import.meta.url, main);
