import { setTimeout as sleep } from 'node:timers/promises';
import { scenario } from 'race-hunt';
import { deferred } from './lib/deferred.js';
import { SearchApi, SearchBox } from './lib/search-box.js';

// Same keystrokes, but every search carries a sequence number and a response is shown only
// if no newer search was issued since, so a late answer for "re" is dropped.
export default scenario('stale response (fixed): responses to superseded searches are dropped', {
  setup: () => ({ box: new SearchBox(new SearchApi()), reTyped: deferred() }),
  tasks: {
    re: async ({ box, reTyped }) => {
      const search = box.typeLatestOnly('re');
      reTyped.resolve();
      await search;
    },
    react: async ({ box, reTyped }) => {
      await reTyped.promise;
      await sleep(120);
      await box.typeLatestOnly('react');
    },
  },
  invariant: ({ box }) => box.resultsFor === box.query || `the box says "${box.query}" but shows the results for "${box.resultsFor}"`,
});
