// Node's own deferred work runs before any timer: a Readable starts flowing (and emits 'data')
// from internal process.nextTick callbacks, which always come before a 0 ms timer armed beside them.
import { Readable } from 'node:stream';
const orders = new Set();
for (let round = 0; round < 100; round++) {
  const log = [];
  await new Promise((done) => {
    const source = new Readable({ read() {} });
    source.on('data', (chunk) => log.push(`data ${chunk}`));
    source.push('x');
    setTimeout(() => { log.push('timer'); done(); }, 0);
  });
  orders.add(log.join(','));
}
console.log([...orders].join(' | '));
