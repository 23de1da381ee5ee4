// Two async functions await one pending promise: their reactions run in the order they began
// waiting, back to back. x's next step, after another await, comes only after y's.
const log = [];
let resolve;
const p = new Promise((r) => (resolve = r));
const x = (async () => { await p; log.push('x'); await null; log.push('x2'); })();
const y = (async () => { await p; log.push('y'); })();
resolve();
await Promise.all([x, y]);
console.log(log.join(','));
