import { scenario } from 'race-hunt';

// waiters-lost-update.mjs: Node loses the update in every run. A scheduler that keeps reactions
// to one promise in order must still find it (with a trace Node produces).
export default scenario('fifo: waiters of one promise lose an update', {
  setup: () => {
    let release!: () => void;
    const ready = new Promise<void>((resolve) => (release = resolve));
    return { n: 0, ready, release };
  },
  tasks: {
    a: async (s) => {
      await s.ready;
      const n = s.n;
      await Promise.resolve();
      s.n = n + 1;
    },
    b: async (s) => {
      await s.ready;
      const n = s.n;
      await Promise.resolve();
      s.n = n + 1;
    },
    opener: (s) => s.release(),
  },
  invariant: (s) => s.n === 2 || `n is ${s.n}, expected 2`,
});
