// Plain Node (tsx only strips the types of the code under test): both consumers read the count
// and reach their `yield*` before either delegation's first step settles. Prints the count.
import { drain, Feed } from './yield-star.lib.ts';

const feed = new Feed();
const first = drain(feed);
const second = drain(feed);
const delivered = await Promise.all([first, second]);
console.log(JSON.stringify({ deliveries: feed.deliveries, delivered }));
