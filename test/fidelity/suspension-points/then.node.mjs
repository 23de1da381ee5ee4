// Plain Node (tsx only strips the types of the code under test): both increments load before
// either `.then` callback runs, so the second save overwrites the first. Prints what happened.
import { Store } from './then.lib.ts';

const events = [];
class Logged extends Store {
  load() {
    events.push(`load ${this.v}`);
    return super.load();
  }

  save(v) {
    events.push(`save ${v}`);
    return super.save(v);
  }
}

const store = new Logged();
const a = store.inc(); // a loads 0; its callback waits for the load's reaction
const b = store.inc(); // b loads 0 before a's callback has run
await Promise.all([a, b]);
console.log(JSON.stringify({ v: store.v, events }));
