// Whether a message a load hook posts (in Node's loader thread) while loading a module can be read
// synchronously in the main thread, with receiveMessageOnPort, as soon as the import has resolved:
// race-hunt relies on it to know which files were instrumented without a listener.
import { register } from 'node:module';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
// Unref'd and without a listener: the port must not keep the process alive.
port1.unref();
register(new URL('./outcome-hook.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });
const module = await import('./loaded-target.mjs');
const message = receiveMessageOnPort(port1);
console.log(JSON.stringify({ imported: module.loaded, received: message?.message.url.endsWith('/loaded-target.mjs') ?? false, more: receiveMessageOnPort(port1) !== undefined }));
