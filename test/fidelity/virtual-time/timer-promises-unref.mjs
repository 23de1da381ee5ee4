import { setInterval, setTimeout, scheduler } from 'node:timers/promises';
import { runInNode } from './run-in-node.mjs';

// timers/promises with { ref: false }: setTimeout, scheduler.wait and setInterval do not keep
// the program alive, so with nothing else to do it ends before they fire. (An unref'd
// setImmediate is left out: whether it runs depends on whether the loop turns once more anyway,
// which it does after an ES module's evaluation but not after a CommonJS one's.)
export function main(seen) {
  seen.fired = [];
  setTimeout(100, 'timeout', { ref: false }).then((value) => seen.fired.push(value));
  scheduler.wait(100, { ref: false }).then(() => seen.fired.push('wait'));
  setInterval(100, 'interval', { ref: false })
    .next()
    .then(({ value }) => seen.fired.push(value));
}

runInNode(import.meta.url, main);
