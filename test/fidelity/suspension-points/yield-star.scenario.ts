import { scenario } from 'race-hunt';
import { drain, Feed } from './yield-star.lib.js';

// Two consumers drain an empty feed: each reads the delivery count, awaits the first step of
// its `yield*`, then writes the count plus one. A switch at that step loses a delivery
// (yield-star.node.mjs shows Node doing it).
export default scenario('yield*: two deliveries counted once', {
  setup: () => new Feed(),
  tasks: {
    first: (feed) => drain(feed),
    second: (feed) => drain(feed),
  },
  invariant: (feed) => feed.deliveries === 2 || `deliveries is ${feed.deliveries}, expected 2`,
});
