import { scenario } from 'race-hunt';
import { LedgerAccount, transfer } from './lib/ledger.js';

// Opposite transfers lock (async-mutex) payer then payee: alice holds checking and waits for
// savings while bob holds savings and waits for checking — a deadlock.
export default scenario('lock-order deadlock (buggy): opposite transfers lock in opposite orders', {
  setup: () => ({ checking: new LedgerAccount('checking', 100), savings: new LedgerAccount('savings', 100) }),
  tasks: {
    alice: ({ checking, savings }) => transfer(checking, savings, 30),
    bob: ({ checking, savings }) => transfer(savings, checking, 50),
  },
  invariant: ({ checking, savings }) =>
    (checking.balance === 120 && savings.balance === 80) || `checking ${checking.balance}, savings ${savings.balance}; expected 120 and 80`,
});
