import { readFile } from 'node:fs';
import { Readable } from 'node:stream';
import { scenario } from 'race-hunt';

// io-callbacks.mjs: neither is a deadlock. Timers set outside any task's own code (a real I/O
// callback, a stream's internal ticks) stay virtual, owned by the task whose step set them off.
export const timerInCallback = scenario('io: a timer set in a file-system callback', {
  setup: () => ({ fired: false }),
  tasks: {
    reader: (s) =>
      new Promise<void>((done) =>
        readFile(import.meta.filename, () =>
          setTimeout(() => {
            s.fired = true;
            done();
          }, 5),
        ),
      ),
  },
  invariant: (s) => s.fired || 'the timer never fired',
});

export const readable = scenario('io: a Readable that pushes through setImmediate', {
  setup: () => ({ data: '' }),
  tasks: {
    consumer: async (s) => {
      let i = 0;
      const stream = new Readable({
        read() {
          setImmediate(() => this.push(i < 3 ? String(i++) : null));
        },
      });
      for await (const chunk of stream) s.data += String(chunk);
    },
  },
  invariant: (s) => s.data === '012' || `read ${JSON.stringify(s.data)}`,
});
