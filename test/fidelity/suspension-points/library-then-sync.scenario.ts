import { scenario } from 'race-hunt';
import { syncThenable } from './library-then.lib.js';

// A thenable that calls back during `then` keeps its meaning: the result is the callback's own.
export default scenario('library then: a synchronous thenable', {
  setup: () => ({ result: undefined as unknown }),
  tasks: {
    caller: (s) => {
      s.result = syncThenable.then((v) => v + 1);
    },
  },
  invariant: (s) => s.result === 43 || `then returned ${String(s.result)}`,
});
