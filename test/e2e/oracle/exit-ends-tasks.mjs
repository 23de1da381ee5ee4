// Node's truth: process.exit ends the process where it is called; a task's work that was to run
// after it (the producer's push, resumed after an await) never runs, and no exit handler sees it.
const queue = [];
let pushed = false;
process.on('exit', (code) => console.log(`exit ${code}; pushed: ${pushed}`));
const producer = (async () => {
  await Promise.resolve();
  queue.push(1);
  pushed = true;
})();
const worker = (async () => {
  if (queue.length === 0) process.exit(0);
})();
await Promise.all([producer, worker]);
console.log('never printed');
