/* global AbortSignal */
import { setTimeout as sleep } from 'node:timers/promises';
import { runInNode } from './run-in-node.mjs';

// The delays AbortSignal.timeout refuses, and the error it throws for each; 0 is allowed and
// aborts on the next timer.
export async function main(seen) {
  seen.errors = [-1, 1.5, 'x', 2 ** 32, undefined, null].map((delay) => {
    try {
      AbortSignal.timeout(delay);
      return 'accepted';
    } catch (error) {
      return { name: error.name, code: error.code, message: error.message };
    }
  });
  const zero = AbortSignal.timeout(0);
  seen.zeroAtOnce = zero.aborted;
  await sleep(20);
  seen.zeroLater = zero.aborted;
}

runInNode(import.meta.url, main);
