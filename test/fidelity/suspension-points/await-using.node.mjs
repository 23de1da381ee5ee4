// Node with tsx, the transpiler race-hunt runs scenarios through (Node 20 has no `await using`;
// tsx lowers it to a try/finally that awaits the disposal): both entries read the total, then
// both await their disposal, then both write. Prints the total and the connections left open.
import { addEntry, Ledger } from './await-using.lib.ts';

const ledger = new Ledger();
const salary = addEntry(ledger, 100); // reads 0, then awaits the disposal of its connection
const refund = addEntry(ledger, 5); // reads 0 too, before salary resumes from its disposal
await Promise.all([salary, refund]);
console.log(JSON.stringify({ total: ledger.total, open: ledger.open }));
