import { scenario } from 'race-hunt';
import { JobQueue, Metrics } from './lib/job-queue.js';

// The worker registers as a waiter in the same step as it finds the queue empty, before it
// awaits the metrics write, so the producer's wake-up always finds it.
export default scenario('lost wake-up (fixed): the waiter registers before anything awaits', {
  setup: () => ({ queue: new JobQueue<string>(new Metrics()), done: [] as string[] }),
  tasks: {
    worker: async ({ queue, done }) => {
      done.push(await queue.takeWithoutLostWakeup());
    },
    producer: async ({ queue }) => {
      await Promise.resolve(); // the request that carries the job arrives
      queue.push('resize image 42');
    },
  },
  invariant: ({ done }) => done.length === 1 || `${done.length} jobs done, expected 1`,
});
