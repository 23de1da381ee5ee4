import { scenario } from 'race-hunt';
import { Account } from './lib/account.js';

// The same two credits, each holding a per-account async lock (user code, so instrumented)
// across its read-modify-write: the second credit reads only after the first has written.
export default scenario('lost update (fixed): credits serialized by a per-account lock', {
  setup: () => new Account(),
  tasks: {
    alice: (account) => account.creditExclusively(1),
    bob: (account) => account.creditExclusively(1),
  },
  invariant: (account) => account.balance === 2 || `balance is ${account.balance}, expected 2`,
});
