// Node's truth: a worker thread stuck in a synchronous loop is stopped by terminate(); the
// main thread goes on. race-hunt's run timeout relies on it.
import { Worker } from 'node:worker_threads';

const worker = new Worker('for (;;) {}', { eval: true });
await new Promise((resolve) => setTimeout(resolve, 200));
const code = await worker.terminate();
console.log(`terminated with ${code}; main thread alive`);
