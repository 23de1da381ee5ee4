// Work started through process.nextTick and queueMicrotask is the starting task's: forced by
// hand into the order that loses an update (both read before either writes), Node loses it.
const store = { n: 0 };
let bothRead;
const read = new Promise((r) => (bothRead = r));
let readers = 0;
async function increment() {
  const n = store.n;
  if (++readers === 2) bothRead();
  await read; // the round trip to the store, held until both have read
  store.n = n + 1;
}
await Promise.all([
  new Promise((done) => process.nextTick(() => increment().then(done))),
  new Promise((done) => queueMicrotask(() => increment().then(done))),
]);
console.log(store.n);
