import { scenario } from 'race-hunt';
import { LedgerAccount, transferInLockOrder } from './lib/ledger.js';

// Both transfers take the two account locks (async-mutex) in one global order, by account id,
// so neither can hold one lock while the other holds the second.
export default scenario('lock-order deadlock (fixed): transfers lock accounts in id order', {
  setup: () => ({ checking: new LedgerAccount('checking', 100), savings: new LedgerAccount('savings', 100) }),
  tasks: {
    alice: ({ checking, savings }) => transferInLockOrder(checking, savings, 30),
    bob: ({ checking, savings }) => transferInLockOrder(savings, checking, 50),
  },
  invariant: ({ checking, savings }) =>
    (checking.balance === 120 && savings.balance === 80) || `checking ${checking.balance}, savings ${savings.balance}; expected 120 and 80`,
});
