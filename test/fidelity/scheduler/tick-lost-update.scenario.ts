import { scenario } from 'race-hunt';

class Store {
  n = 0;
  async increment(): Promise<void> {
    const n = this.n;
    await Promise.resolve(); // the round trip to the store
    this.n = n + 1;
  }
}

// tick-lost-update.mjs: the update can be lost. The awaits run inside callbacks queued with
// process.nextTick and queueMicrotask, which belong to the task that queued them.
export default scenario('callbacks: increments started through nextTick and queueMicrotask', {
  setup: () => new Store(),
  tasks: {
    ticked: (s) => new Promise<void>((done) => process.nextTick(() => void s.increment().then(done))),
    queued: (s) => new Promise<void>((done) => queueMicrotask(() => void s.increment().then(done))),
  },
  invariant: (s) => s.n === 2 || `n is ${s.n}, expected 2`,
});
