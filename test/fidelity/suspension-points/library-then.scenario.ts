import { scenario } from 'race-hunt';
import { Store } from './library-then.lib.js';

// Each increment loads the value and saves it plus one in a `.then` callback of a promise
// library that runs its callbacks from a tick of its own (library-then.node.mjs shows Node
// losing the update).
export default scenario('library then: two increments lose one', {
  setup: () => new Store(),
  tasks: {
    a: (store) => new Promise<void>((done) => store.inc().then(done)),
    b: (store) => new Promise<void>((done) => store.inc().then(done)),
  },
  invariant: (store) => store.v === 2 || `v is ${store.v}, expected 2`,
});

