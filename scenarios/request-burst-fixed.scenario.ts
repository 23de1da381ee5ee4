import fc from 'fast-check';
import { scenario } from 'race-hunt';
import { CoalescingProfileCache, ProfileDatabase } from './lib/profile-cache.js';

// The same burst of requests, drawn by fast-check, against the coalescing cache: requests in
// flight for one profile share its query, whatever the burst and the schedule.
export default scenario('request burst (fixed): requests for one profile share its query', {
  input: fc.array(fc.constantFrom('7', '8', '9'), { minLength: 1, maxLength: 4 }),
  setup: () => {
    const db = new ProfileDatabase();
    return { db, cache: new CoalescingProfileCache(db) };
  },
  tasks: (ids) => Object.fromEntries(ids.map((id, i) => [`req${i}`, ({ cache }: { cache: CoalescingProfileCache }) => cache.get(id)])),
  invariant: ({ db }, ids) => db.queries === new Set(ids).size || `${db.queries} queries for ${new Set(ids).size} distinct profiles`,
});
