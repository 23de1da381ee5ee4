import { scenario } from 'race-hunt';
import { Account } from './lib/account.js';

// Two credits race: each reads the balance, awaits, then writes back its own sum,
// so the credit that writes last overwrites the other one.
export default scenario('lost update (buggy): two concurrent credits', {
  setup: () => new Account(),
  tasks: {
    alice: (account) => account.credit(1),
    bob: (account) => account.credit(1),
  },
  invariant: (account) => account.balance === 2 || `balance is ${account.balance}, expected 2`,
});
