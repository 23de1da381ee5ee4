// Plain Node: both payments read the balance before either card is declined; each `.catch`
// callback then writes its own stale balance. Prints the balance left.
import { Wallet } from './catch.lib.ts';

const wallet = new Wallet();
const rent = wallet.pay(3); // reads 10; its catch callback waits for the rejection's reaction
const food = wallet.pay(3); // reads 10 too, before rent's callback has run
const results = await Promise.all([rent, food]);
console.log(JSON.stringify({ balance: wallet.balance, results }));
