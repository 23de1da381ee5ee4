import { scenario } from 'race-hunt';

// spin-wait.mjs: it ends. A strategy may let the spinner run for a long time (PCT gives it the
// top priority), but once scheduling turns fair the setter runs: no livelock is reported.
export default scenario('fairness: a spin-wait on a flag another task sets', {
  setup: () => ({ ready: false, looks: 0 }),
  tasks: {
    spinner: async (s) => {
      while (!s.ready) {
        s.looks++;
        await Promise.resolve();
      }
    },
    setter: async (s) => {
      await Promise.resolve();
      s.ready = true;
    },
  },
  invariant: (s) => s.ready || 'never set',
});
