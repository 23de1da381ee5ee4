import { setInterval, setTimeout as sleep } from 'node:timers/promises';
import { roughly, runInNode } from './run-in-node.mjs';

// timers/promises' setInterval keeps ticking while its consumer is busy; the ticks it missed
// are handed out at once on the following next() calls, then it waits for the next tick.
export async function main(seen) {
  const started = performance.now();
  seen.deliveredAt = [];
  for await (const value of setInterval(200, 'tick')) {
    seen.deliveredAt.push([value, roughly(performance.now() - started, 100)]);
    // Busy for 700 ms after the first tick: the ticks at 400, 600 and 800 wait.
    if (seen.deliveredAt.length === 1) await sleep(700);
    if (seen.deliveredAt.length === 6) break;
  }
  // Leaving the loop clears the interval: nothing keeps the program alive after this.
  seen.finished = roughly(performance.now() - started, 100);
}

runInNode(import.meta.url, main);
