import { scenario } from 'race-hunt';

interface Gate {
  open: boolean;
  waitedBefore: string[];
  log: string[];
  promise: Promise<void>;
  release: () => void;
}

// fifo.mjs: reactions to one promise run in registration order, back to back.
export default scenario('fifo: two waiters of one promise resume in order, back to back', {
  setup: (): Gate => {
    const gate = { open: false, waitedBefore: [], log: [] } as unknown as Gate;
    gate.promise = new Promise<void>((resolve) => {
      gate.release = () => {
        gate.open = true;
        resolve();
      };
    });
    return gate;
  },
  tasks: {
    x: async (g) => {
      if (!g.open) g.waitedBefore.push('x');
      await g.promise;
      g.log.push('x');
      await null;
      g.log.push('x2');
    },
    y: async (g) => {
      if (!g.open) g.waitedBefore.push('y');
      await g.promise;
      g.log.push('y');
    },
    opener: (g) => g.release(),
  },
  invariant: (g) => {
    // Only when both waited before the promise settled are their reactions queued together.
    if (g.waitedBefore.length < 2) return true;
    const expected = [...g.waitedBefore, 'x2'].join(',');
    return g.log.join(',') === expected || `waited ${g.waitedBefore.join(',')}, log is ${g.log.join(',')}`;
  },
});
