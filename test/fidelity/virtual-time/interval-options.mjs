/* global AbortController */
import { setInterval, setTimeout as sleep } from 'node:timers/promises';
import { roughly, runInNode } from './run-in-node.mjs';

// timers/promises' setInterval: the interval starts at the first next(), not when the
// iterator is made; an abort rejects the pending next() with an AbortError whose cause is the
// reason, and ends the iterator; bad arguments reject the first next() with Node's error.
export async function main(seen) {
  const started = performance.now();
  const late = setInterval(200, 'late');
  await sleep(300);
  await late.next();
  seen.firstTickOfLateStart = roughly(performance.now() - started, 100);
  await late.return();

  const controller = new AbortController();
  const aborted = setInterval(100, 'x', { signal: controller.signal });
  const pending = aborted.next();
  controller.abort('stop');
  seen.abort = await pending.then(
    () => 'resolved',
    (error) => ({ name: error.name, code: error.code, message: error.message, cause: error.cause, isError: error instanceof Error }),
  );
  seen.afterAbort = await aborted.next();

  seen.refused = [];
  for (const args of [['x'], [1, 1, null], [1, 1, []], [1, 1, { signal: 1 }], [1, 1, { ref: 1 }]]) {
    seen.refused.push(
      await setInterval(...args)
        .next()
        .then(
          () => 'accepted',
          (error) => ({ name: error.name, code: error.code, message: error.message }),
        ),
    );
  }
}

runInNode(import.meta.url, main);
