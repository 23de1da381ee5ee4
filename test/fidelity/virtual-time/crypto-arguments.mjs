/* global crypto */
import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';
import { runInNode } from './run-in-node.mjs';

// node:crypto's and Web Crypto's random functions: the arguments each refuses and the error it
// throws; what each returns; when callbacks come back (at once for an empty randomFill,
// otherwise after the call has returned and after the tick it queued).
export function main(seen) {
  const attempt = (call) => {
    try {
      const result = call();
      return result === undefined ? 'undefined' : typeof result;
    } catch (error) {
      return { name: error.name, code: error.code, message: error.message };
    }
  };
  const calls = {
    'randomInt()': () => nodeCrypto.randomInt(),
    'randomInt(0)': () => nodeCrypto.randomInt(0),
    'randomInt(1.5)': () => nodeCrypto.randomInt(1.5),
    'randomInt(5, 2)': () => nodeCrypto.randomInt(5, 2),
    'randomInt(0, 2 ** 48 + 1)': () => nodeCrypto.randomInt(0, 2 ** 48 + 1),
    'randomInt(2 ** 48 + 1)': () => nodeCrypto.randomInt(2 ** 48 + 1),
    'randomInt(1, 2, 3)': () => nodeCrypto.randomInt(1, 2, 3),
    'randomInt(1, null)': () => nodeCrypto.randomInt(1, null),
    'randomFillSync(1)': () => nodeCrypto.randomFillSync(1),
    'randomFillSync(buf, -1)': () => nodeCrypto.randomFillSync(Buffer.alloc(4), -1),
    'randomFillSync(buf, 5)': () => nodeCrypto.randomFillSync(Buffer.alloc(4), 5),
    'randomFillSync(buf, 1, 4)': () => nodeCrypto.randomFillSync(Buffer.alloc(4), 1, 4),
    'randomFillSync(u32, 1, 4)': () => nodeCrypto.randomFillSync(new Uint32Array(4), 1, 4),
    'randomFillSync(buf, "1")': () => nodeCrypto.randomFillSync(Buffer.alloc(4), '1'),
    'randomFillSync(arrayBuffer)': () => nodeCrypto.randomFillSync(new ArrayBuffer(8)),
    'randomFill(buf)': () => nodeCrypto.randomFill(Buffer.alloc(4)),
    'randomFill(buf, undefined, undefined, cb)': () => nodeCrypto.randomFill(Buffer.alloc(4), undefined, undefined, () => {}),
    'randomFill(arrayBuffer, 0, cb)': () => nodeCrypto.randomFill(new ArrayBuffer(4), 0, () => {}),
    'randomFill(buf, 5, cb)': () => nodeCrypto.randomFill(Buffer.alloc(4), 5, () => {}),
    'randomBytes(-1)': () => nodeCrypto.randomBytes(-1),
    'randomBytes(1, 1)': () => nodeCrypto.randomBytes(1, 1),
    'randomBytes("x", 1)': () => nodeCrypto.randomBytes('x', 1),
    'getRandomValues(float32)': () => nodeCrypto.getRandomValues(new Float32Array(1)),
    'getRandomValues(too big)': () => nodeCrypto.getRandomValues(new Uint8Array(65537)),
    'getRandomValues()': () => nodeCrypto.getRandomValues(),
    'webcrypto.getRandomValues()': () => crypto.getRandomValues(),
    'webcrypto.getRandomValues, detached': () => {
      const { getRandomValues } = crypto;
      return getRandomValues(new Uint8Array(1));
    },
    'webcrypto.randomUUID, detached': () => {
      const { randomUUID } = crypto;
      return randomUUID();
    },
    'randomUUID(1)': () => nodeCrypto.randomUUID(1),
    'randomUUID({ disableEntropyCache: 1 })': () => nodeCrypto.randomUUID({ disableEntropyCache: 1 }),
  };
  seen.refused = Object.fromEntries(Object.entries(calls).map(([label, call]) => [label, attempt(call)]));

  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const u16 = new Uint16Array(8);
  const filled = Buffer.alloc(8);
  nodeCrypto.randomFillSync(filled, 2, 4);
  seen.returns = {
    randomInt: [nodeCrypto.randomInt(10), nodeCrypto.randomInt(-5, 5), nodeCrypto.randomInt(2 ** 48 - 1)].every((n, i) => Number.isSafeInteger(n) && n >= [0, -5, 0][i] && n < [10, 5, 2 ** 48 - 1][i]),
    randomBytes: Buffer.isBuffer(nodeCrypto.randomBytes(5)) && nodeCrypto.randomBytes(5).length,
    randomFillSyncKeepsOutsideTheRange: filled[0] === 0 && filled[1] === 0 && filled[6] === 0 && filled[7] === 0,
    getRandomValuesReturnsItsArgument: crypto.getRandomValues(u16) === u16 && nodeCrypto.getRandomValues(u16) === u16 && nodeCrypto.webcrypto.getRandomValues(u16) === u16,
    uuids: [nodeCrypto.randomUUID(), crypto.randomUUID(), nodeCrypto.webcrypto.randomUUID(), nodeCrypto.randomUUID({ disableEntropyCache: true })].every((u) => uuid.test(u)),
  };

  seen.callbacks = [];
  const note = (label) => (error, result) => seen.callbacks.push([label, error ?? null, typeof result]);
  nodeCrypto.randomFill(Buffer.alloc(4), note('randomFill'));
  nodeCrypto.randomFill(Buffer.alloc(4), 0, 0, note('randomFill, nothing to fill'));
  nodeCrypto.randomBytes(4, note('randomBytes'));
  nodeCrypto.randomInt(10, note('randomInt'));
  seen.callbacks.push(['returned']);
  process.nextTick(() => seen.callbacks.push(['tick']));
}

runInNode(import.meta.url, main);
