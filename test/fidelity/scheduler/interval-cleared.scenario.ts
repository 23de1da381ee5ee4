import { scenario } from 'race-hunt';

// interval-cleared.mjs: it ends. An interval that fires at every step must not starve the
// continuation that clears it into a false livelock.
export default scenario('fairness: an interval cleared after three awaits', {
  setup: () => ({ ticks: 0, cleared: false }),
  tasks: {
    worker: async (s) => {
      const interval = setInterval(() => s.ticks++, 10);
      for (let i = 0; i < 3; i++) await Promise.resolve();
      clearInterval(interval);
      s.cleared = true;
    },
  },
  invariant: (s) => s.cleared || 'never cleared',
});
