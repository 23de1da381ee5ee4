import { scenario } from 'race-hunt';
import { Wallet } from './catch.lib.js';

// Two payments of 3 that both fall back on the wallet: a switch between reading the balance and
// the `.catch` callback that writes it loses one payment (catch.node.mjs shows Node doing it).
export default scenario('catch: two fallback payments lose one', {
  setup: () => new Wallet(),
  tasks: {
    rent: (wallet) => wallet.pay(3),
    food: (wallet) => wallet.pay(3),
  },
  invariant: (wallet) => wallet.balance === 4 || `balance is ${wallet.balance}, expected 4`,
});
