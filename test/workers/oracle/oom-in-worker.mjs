// Node's truth: a worker thread with a heap limit that runs out of memory fails with
// ERR_WORKER_OUT_OF_MEMORY and ends; the main thread goes on.
import { Worker } from 'node:worker_threads';

const worker = new Worker('const keep = []; for (;;) keep.push(new Array(1e5).fill(1));', {
  eval: true,
  resourceLimits: { maxOldGenerationSizeMb: 32 },
});
const error = new Promise((resolve) => worker.on('error', resolve));
const exit = new Promise((resolve) => worker.on('exit', resolve));
console.log(`${(await error).code}, exit ${await exit}; main thread alive`);
