// Two waiters of one promise, each a read-await-write increment: Node resumes them back to
// back, so both read before either writes, and an update is lost in every run.
const store = { n: 0 };
let release;
const ready = new Promise((r) => (release = r));
async function increment() {
  await ready;
  const n = store.n;
  await Promise.resolve(); // the write's round trip
  store.n = n + 1;
}
const both = Promise.all([increment(), increment()]);
release();
await both;
console.log(store.n);
