import { Readable } from 'node:stream';
import { scenario } from 'race-hunt';

// internal-tick.mjs: the data (delivered from Node's own ticks) always comes before the timer.
export default scenario('ticks: Node’s own ticks before a 0 ms timer', {
  setup: () => ({ log: [] as string[] }),
  tasks: {
    reader: (s) =>
      new Promise<void>((done) => {
        const source = new Readable({ read() {} });
        source.on('data', (chunk) => s.log.push(`data ${String(chunk)}`));
        source.push('x');
        setTimeout(() => {
          s.log.push('timer');
          done();
        }, 0);
      }),
  },
  invariant: (s) => s.log.join(',') === 'data x,timer' || `log is ${s.log.join(',')}`,
});
