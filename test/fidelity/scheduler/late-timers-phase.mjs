// bluebird#1417's shape: a library settles a sleep through setImmediate (bluebird's async queue
// does, in Node), and a timeout 1 ms later rejects it unless it settled first. When the loop
// wakes late, both timers are due in one timers phase, and the immediate runs only after both.
function sleepWithTimeout(ms, timeoutMs) {
  return new Promise((resolve, reject) => {
    let settled = false;
    setTimeout(() => setImmediate(() => { if (!settled) { settled = true; resolve('slept'); } }), ms);
    setTimeout(() => { if (!settled) { settled = true; reject(new Error('timed out')); } }, timeoutMs);
  });
}
const late = sleepWithTimeout(20, 21);
const start = Date.now();
while (Date.now() - start < 40); // a busy process: the timers phase begins after both deadlines
console.log(await late.then((v) => v, (e) => e.message));
