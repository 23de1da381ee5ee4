import { scenario } from 'race-hunt';
import { upload, Uploads } from './for-await.lib.js';

// Two uploads: each reads the count of completed ones, walks its chunks with `for await`, then
// writes the count plus one. A switch at a step of the loop loses one (for-await.node.mjs shows
// Node doing it).
export default scenario('for await: two uploads counted once', {
  setup: () => new Uploads(),
  tasks: {
    first: (uploads) => upload(uploads, ['ab', Promise.resolve('cd')]),
    second: (uploads) => upload(uploads, ['e']),
  },
  invariant: (uploads) => uploads.completed === 2 || `completed is ${uploads.completed}, expected 2`,
});
