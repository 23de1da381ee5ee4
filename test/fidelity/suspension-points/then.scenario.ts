import { scenario } from 'race-hunt';
import { Store } from './then.lib.js';

// Each increment loads the value and saves it plus one in a `.then` callback: a switch between
// the load and the callback loses an update (then.node.mjs shows Node doing it).
export default scenario('then: two increments lose one', {
  setup: () => new Store(),
  tasks: {
    a: (store) => store.inc(),
    b: (store) => store.inc(),
  },
  invariant: (store) => store.v === 2 || `v is ${store.v}, expected 2`,
});
