import { scenario } from 'race-hunt';
import { ProfileCache, ProfileDatabase } from './lib/profile-cache.js';

// Check-then-act: both widgets miss the cache before the first 300 ms query has finished,
// so both run the slow query.
export default scenario('cache stampede (buggy): two readers miss at once and both query', {
  setup: () => {
    const db = new ProfileDatabase();
    return { db, cache: new ProfileCache(db) };
  },
  tasks: {
    header: ({ cache }) => cache.get('42'),
    sidebar: ({ cache }) => cache.get('42'),
  },
  invariant: ({ db }) => db.queries === 1 || `the database was queried ${db.queries} times for one profile`,
});
