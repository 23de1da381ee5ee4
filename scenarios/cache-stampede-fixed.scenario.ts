import { scenario } from 'race-hunt';
import { CoalescingProfileCache, ProfileDatabase } from './lib/profile-cache.js';

// The cache stores the in-flight promise at the first miss, so a second reader arriving
// before the query finishes awaits that same query instead of starting another.
export default scenario('cache stampede (fixed): readers share the in-flight query', {
  setup: () => {
    const db = new ProfileDatabase();
    return { db, cache: new CoalescingProfileCache(db) };
  },
  tasks: {
    header: ({ cache }) => cache.get('42'),
    sidebar: ({ cache }) => cache.get('42'),
  },
  invariant: ({ db }) => db.queries === 1 || `the database was queried ${db.queries} times for one profile`,
});
