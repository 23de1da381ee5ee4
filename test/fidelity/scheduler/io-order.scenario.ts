import { stat } from 'node:fs/promises';
import { scenario } from 'race-hunt';

// io-order.mjs: b's file-system call may finish before a starts. The scheduler waits for it,
// then offers b's continuation as one more choice.
export default scenario('io: a stat that finishes before the other task starts', {
  setup: () => ({ log: [] as string[] }),
  tasks: {
    b: async (s) => {
      await stat(import.meta.filename);
      s.log.push('b');
    },
    a: (s) => {
      s.log.push('a');
    },
  },
  invariant: (s) => s.log[0] === 'a' || `log is ${s.log.join(',')}`,
});
