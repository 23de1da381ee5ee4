import { scenario } from 'race-hunt';

// unref.mjs: an unref()ed interval never keeps a run alive and never fires once all work is done.
export default scenario('unref: an unref()ed interval after the work is done', {
  setup: () => ({ done: false, firedAfterDone: 0, hasRef: true }),
  tasks: {
    worker: async (s) => {
      const interval = setInterval(() => {
        if (s.done) s.firedAfterDone++;
      }, 1000);
      interval.unref();
      s.hasRef = interval.hasRef();
      await Promise.resolve();
      s.done = true;
    },
  },
  invariant: (s) => (s.firedAfterDone === 0 && !s.hasRef) || `fired ${s.firedAfterDone} times after the work, hasRef ${s.hasRef}`,
});
