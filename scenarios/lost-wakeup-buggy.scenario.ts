import { scenario } from 'race-hunt';
import { JobQueue, Metrics } from './lib/job-queue.js';

// The worker finds the queue empty and awaits a metrics write before registering as a waiter;
// the producer's push (and its wake-up call) lands in between, so the worker waits forever.
export default scenario('lost wake-up (buggy): a push between the empty check and the wait is lost', {
  setup: () => ({ queue: new JobQueue<string>(new Metrics()), done: [] as string[] }),
  tasks: {
    worker: async ({ queue, done }) => {
      done.push(await queue.take());
    },
    producer: async ({ queue }) => {
      await Promise.resolve(); // the request that carries the job arrives
      queue.push('resize image 42');
    },
  },
  invariant: ({ done }) => done.length === 1 || `${done.length} jobs done, expected 1`,
});
