import { scenario } from 'race-hunt';

// late-timers-phase.mjs: when the loop wakes after both deadlines, the timeout wins.
function sleepWithTimeout(ms: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    setTimeout(() => setImmediate(() => { if (!settled) { settled = true; resolve('slept'); } }), ms);
    setTimeout(() => { if (!settled) { settled = true; reject(new Error('timed out')); } }, timeoutMs);
  });
}

export default scenario('phases: a 1000 ms sleep settled through setImmediate, with a 1001 ms timeout', {
  setup: () => ({ outcome: '' }),
  tasks: {
    sleeper: async (s) => {
      s.outcome = await sleepWithTimeout(1000, 1001).catch((e: Error) => e.message);
    },
  },
  invariant: (s) => s.outcome === 'slept' || `the sleep ${s.outcome}`,
});
