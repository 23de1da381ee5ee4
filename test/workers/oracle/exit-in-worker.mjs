// Node's truth: process.exit in a worker thread ends that thread only (its exit event carries
// the code); the main thread goes on. A worker's crash is race-hunt's to report, not to die of.
import { Worker } from 'node:worker_threads';

const worker = new Worker('process.exit(7)', { eval: true });
const code = await new Promise((resolve) => worker.on('exit', resolve));
console.log(`worker exited with ${code}; main thread alive`);
