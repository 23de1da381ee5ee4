// Which kinds process.getActiveResourcesInfo() lists while a real operation is in flight: the names
// race-hunt turns into "file system", "DNS", "TCP", "child process" in its verdicts. Prints, per
// operation, the kinds listed right after it started (handles that are always open left out).
import { spawn } from 'node:child_process';
import dns from 'node:dns';
import fs from 'node:fs';
import net from 'node:net';

const ALWAYS_OPEN = new Set(['TTYWrap', 'PipeWrap', 'Timeout', 'Immediate', 'SignalWrap', 'MessagePort', 'TCPServerWrap']);
const inFlight = () => [...new Set(process.getActiveResourcesInfo().filter((kind) => !ALWAYS_OPEN.has(kind)))];
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const self = new URL(import.meta.url);
const kinds = {};

const reading = fs.promises.readFile(self);
kinds['fs.promises.readFile'] = inFlight();
await reading;
await settle();

await new Promise((resolve) => {
  fs.stat(self, resolve);
  kinds['fs.stat'] = inFlight();
});
await settle();

await new Promise((resolve) => {
  dns.lookup('localhost', resolve);
  kinds['dns.lookup'] = inFlight();
});
await settle();

const server = net.createServer((socket) => socket.end()).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
await new Promise((resolve) => {
  const socket = net.connect(server.address().port, '127.0.0.1', () => {
    socket.end();
    resolve();
  });
  kinds['net.connect'] = inFlight();
});
server.close();
await settle();

await new Promise((resolve) => {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  kinds['child_process.spawn'] = inFlight();
  child.on('close', resolve);
});

console.log(JSON.stringify(kinds));
