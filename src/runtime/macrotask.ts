import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

/**
 * Runs a callback in a later macrotask, when the microtask queue is known to be empty: the
 * exact quiescence test. A MessageChannel round trip costs about half a `setImmediate` one
 * (measured on Node 20), and this runs at least once per execution.
 */
let port: MessagePort | undefined;
let sender: MessagePort | undefined;
const pending: (() => void)[] = [];

function open(): MessagePort {
  const channel = new MessageChannel();
  port = channel.port1;
  sender = channel.port2;
  port.on('message', () => pending.shift()?.());
  return sender;
}

/** Calls `callback` from a fresh macrotask. */
export function inNextMacrotask(callback: () => void): void {
  pending.push(callback);
  (sender ?? open()).postMessage(null);
}

/** Closes the channel (it keeps the process alive while open). */
export function closeMacrotasks(): void {
  port?.close();
  sender?.close();
  port = undefined;
  sender = undefined;
  pending.length = 0;
}
