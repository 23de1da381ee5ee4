// Real I/O may finish before another task starts: b's stat completes and b logs before a runs.
import { stat } from 'node:fs/promises';
const log = [];
const b = (async () => { await stat(import.meta.filename); log.push('b'); })();
await b; // a request that arrives later
(() => log.push('a'))();
console.log(log.join(','));
