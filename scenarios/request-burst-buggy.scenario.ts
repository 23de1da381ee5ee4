import fc from 'fast-check';
import { scenario } from 'race-hunt';
import { ProfileCache, ProfileDatabase } from './lib/profile-cache.js';

// A burst of concurrent requests, drawn by fast-check: which profiles, in what order. The
// check-then-act cache queries a profile twice only when two requests in flight ask for the same
// one, so the race needs both the input and the schedule.
export default scenario('request burst (buggy): two requests for one profile query it twice', {
  input: fc.array(fc.constantFrom('7', '8', '9'), { minLength: 1, maxLength: 4 }),
  setup: () => {
    const db = new ProfileDatabase();
    return { db, cache: new ProfileCache(db) };
  },
  tasks: (ids) => Object.fromEntries(ids.map((id, i) => [`req${i}`, ({ cache }: { cache: ProfileCache }) => cache.get(id)])),
  invariant: ({ db }, ids) => db.queries === new Set(ids).size || `${db.queries} queries for ${new Set(ids).size} distinct profiles`,
});
