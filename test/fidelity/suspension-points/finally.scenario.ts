import { scenario } from 'race-hunt';
import { Requests } from './finally.lib.js';

// Two requests counted in `.finally` from a count read when each was sent: a switch before a
// `.finally` callback loses one (finally.node.mjs shows Node doing it).
export default scenario('finally: two requests counted once', {
  setup: () => new Requests(),
  tasks: {
    first: (requests) => requests.send(),
    second: (requests) => requests.send(),
  },
  invariant: (requests) => requests.completed === 2 || `completed is ${requests.completed}, expected 2`,
});
