// A timer set in a file-system callback fires; a Readable whose read() pushes through
// setImmediate delivers its data (a slow consumer may get chunks joined: '0|12').
import { readFile } from 'node:fs';
import { Readable } from 'node:stream';
const fired = await new Promise((done) => readFile(import.meta.filename, () => setTimeout(() => done('fired'), 5)));
let i = 0;
const chunks = [];
const stream = new Readable({ read() { setImmediate(() => this.push(i < 3 ? String(i++) : null)); } });
for await (const chunk of stream) {
  chunks.push(String(chunk));
  await new Promise((resume) => setTimeout(resume, 5)); // a slow consumer
}
console.log(`${fired} ${chunks.join('|')}`);
