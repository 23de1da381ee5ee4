// A task that spins on a flag (await between looks) and a task that sets it after an await of
// its own: Node runs them fairly (each await goes to the back of the microtask queue), and ends.
const state = { ready: false, looks: 0 };
const spinner = (async () => { while (!state.ready) { state.looks++; await Promise.resolve(); } })();
const setter = (async () => { await Promise.resolve(); state.ready = true; })();
await Promise.all([spinner, setter]);
console.log('ended');
