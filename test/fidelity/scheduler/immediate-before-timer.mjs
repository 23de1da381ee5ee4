// From a timer's callback, an immediate runs before a 0 ms timer: the check phase comes
// before the next timers phase. 200 rounds, always the same.
const orders = new Set();
for (let round = 0; round < 200; round++) {
  const log = [];
  await new Promise((done) => setTimeout(() => {
    setTimeout(() => { log.push('timer'); done(); }, 0);
    setImmediate(() => log.push('immediate'));
  }, 0));
  orders.add(log.join(','));
}
console.log([...orders].join(' | '));
