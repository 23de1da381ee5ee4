// Plain Node (tsx only strips the types of the code under test): x and y register callbacks on
// one pending promise, then it resolves. Prints the order they ran in: x's callback, y's
// callback, then the microtask x's callback queued — back to back, in registration order.
import { Signal } from './fifo.lib.ts';

const signal = new Signal();
const x = signal.subscribe('x');
const y = signal.subscribe('y');
signal.fire();
await Promise.all([x, y]);
console.log(JSON.stringify({ registered: signal.registered, ran: signal.ran }));
