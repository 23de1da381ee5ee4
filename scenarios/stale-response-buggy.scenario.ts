import { setTimeout as sleep } from 'node:timers/promises';
import { scenario } from 'race-hunt';
import { deferred } from './lib/deferred.js';
import { SearchApi, SearchBox } from './lib/search-box.js';

// The user types "re", then "react" 120 ms later; the response for "re" arrives after the one
// for "react" and overwrites it, so the box shows results for a query no longer in it.
export default scenario('stale response (buggy): an older search overwrites a newer one', {
  setup: () => ({ box: new SearchBox(new SearchApi()), reTyped: deferred() }),
  tasks: {
    re: async ({ box, reTyped }) => {
      const search = box.type('re');
      reTyped.resolve();
      await search;
    },
    react: async ({ box, reTyped }) => {
      await reTyped.promise;
      await sleep(120);
      await box.type('react');
    },
  },
  invariant: ({ box }) => box.resultsFor === box.query || `the box says "${box.query}" but shows the results for "${box.resultsFor}"`,
});
