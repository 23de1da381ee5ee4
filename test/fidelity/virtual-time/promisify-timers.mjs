import { promisify } from 'node:util';
import * as timersPromises from 'node:timers/promises';
import * as timers from 'node:timers';
import { roughly, runInNode } from './run-in-node.mjs';

// util.promisify(setTimeout) and util.promisify(setImmediate) are timers/promises' functions
// (Node defines setTimeout[util.promisify.custom]); they resolve with the value given.
export async function main(seen) {
  seen.identity = {
    setTimeout: promisify(setTimeout) === timersPromises.setTimeout,
    setImmediate: promisify(setImmediate) === timersPromises.setImmediate,
    timersModule: promisify(timers.setTimeout) === timersPromises.setTimeout,
  };
  const sleep = promisify(setTimeout);
  const immediate = promisify(setImmediate);
  const started = performance.now();
  seen.order = [];
  await Promise.all([
    sleep(200, 'slept').then((value) => seen.order.push([value, roughly(performance.now() - started, 100)])),
    immediate('immediate').then((value) => seen.order.push([value, roughly(performance.now() - started, 100)])),
  ]);
}

runInNode(import.meta.url, main);
