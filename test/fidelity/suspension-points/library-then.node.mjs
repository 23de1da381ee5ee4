// Plain Node (tsx only strips the types of the code under test): both increments load before
// either callback runs from the library's tick, so the second save overwrites the first.
import { Store } from './library-then.lib.ts';

const store = new Store();
const a = store.inc();
const b = store.inc();
await new Promise((done) => a.then(() => b.then(done)));
console.log(JSON.stringify({ v: store.v }));
