import { scenario } from 'race-hunt';
import { addEntry, Ledger } from './await-using.lib.js';

// Each entry reads the total over a connection, hands the connection back (an awaited disposal),
// then writes the total plus its amount: a switch at the disposal loses an entry
// (await-using.node.mjs shows Node doing it).
export default scenario('await using: two entries, one lost at the disposal', {
  setup: () => new Ledger(),
  tasks: {
    salary: (ledger) => addEntry(ledger, 100),
    refund: (ledger) => addEntry(ledger, 5),
  },
  invariant: (ledger) => ledger.total === 105 || `total is ${ledger.total}, expected 105`,
});
