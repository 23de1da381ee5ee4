// Plain Node: both requests are sent (and read the count) before either `.finally` callback
// runs; both then write 1. Prints the count and what the requests resolved to.
import { Requests } from './finally.lib.ts';

const requests = new Requests();
const first = requests.send();
const second = requests.send();
const results = await Promise.all([first, second]);
console.log(JSON.stringify({ completed: requests.completed, results }));
