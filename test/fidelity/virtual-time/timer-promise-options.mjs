/* global AbortController */
import { setImmediate, setTimeout, scheduler } from 'node:timers/promises';
import { runInNode } from './run-in-node.mjs';

// timers/promises' setTimeout, setImmediate and scheduler.wait honour `signal` (an aborted
// signal rejects at once; an abort rejects with an AbortError whose cause is the reason); bad
// arguments reject with Node's error.
export async function main(seen) {
  const describe = (error) => ({ name: error.name, code: error.code, message: error.message, cause: error.cause });
  const outcome = (promise) => promise.then((value) => ({ value }), describe);

  const already = new AbortController();
  already.abort('before');
  seen.alreadyAborted = await Promise.all([
    outcome(setTimeout(100, 'v', { signal: already.signal })),
    outcome(setImmediate('v', { signal: already.signal })),
    outcome(scheduler.wait(100, { signal: already.signal })),
  ]);

  const during = new AbortController();
  const pending = [outcome(setTimeout(100, 'v', { signal: during.signal })), outcome(setImmediate('v', { signal: during.signal }))];
  during.abort('during');
  seen.abortedWhilePending = await Promise.all(pending);

  const unused = new AbortController();
  seen.notAborted = await Promise.all([outcome(setTimeout(10, 'v', { signal: unused.signal })), outcome(setImmediate('w', { signal: unused.signal }))]);

  seen.refused = await Promise.all([
    outcome(setTimeout('x')),
    outcome(setTimeout(1, 'v', null)),
    outcome(setTimeout(1, 'v', { signal: {} })),
    outcome(setImmediate('v', { ref: 'yes' })),
    outcome(scheduler.wait('x')),
  ]);
  seen.wrongThis = await outcome(Promise.resolve().then(() => scheduler.wait.call({}, 1)));
}

runInNode(import.meta.url, main);
