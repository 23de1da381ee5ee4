// What V8's promise hooks show of an `await`, a `.then` and `Promise.all`, in plain Node.
// Prints one JSON object: for each case, the promises made (init) while it ran, each with whether
// it has a parent, which earlier promise of the case is its parent, and its stack's top two frames.
// `--two-hooks`: a second hook is on, as race-hunt's census runs beside its task-context hook.
import { promiseHooks } from 'node:v8';

const FILE = new URL(import.meta.url).href;
let recording;

function topFrames() {
  const saved = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_error, sites) => sites;
  Error.stackTraceLimit = 3;
  const holder = {};
  Error.captureStackTrace(holder, init);
  const sites = holder.stack;
  Error.prepareStackTrace = saved;
  Error.stackTraceLimit = limit;
  return sites.map((s) => ({ fn: s.getFunctionName(), file: s.getFileName() === FILE ? 'this file' : (s.getFileName() ?? null), line: s.getLineNumber() }));
}

function init(promise, parent) {
  if (recording === undefined) return;
  recording.push({ promise, parent, frames: topFrames() });
}
promiseHooks.createHook({ init });
const second = process.argv.includes('--two-hooks');
if (second) promiseHooks.createHook({ init() {} });

function describe(entries, known) {
  const all = [...known, ...entries.map((e) => e.promise)];
  return entries.map((e) => ({
    hasParent: e.parent !== undefined,
    parent: e.parent === undefined ? null : all.includes(e.parent) ? `#${all.indexOf(e.parent)}` : 'other',
    frames: e.frames.slice(0, 2),
  }));
}

async function record(name, known, fn) {
  recording = [];
  const run = fn();
  const made = recording;
  recording = undefined;
  await run;
  return [name, describe(made, known)];
}

const settled = Promise.resolve(1);
async function awaitsPromise(p) {
  await p; // the await of 'await promise'
}
async function awaitsValue() {
  await 5; // the await of 'await value'
}
async function* yields() {
  yield 1; // the yield of 'async generator yield'
}
function thens(p) {
  return p.then(() => 1);
}

const cases = Object.fromEntries([
  // #0 is `settled`; #1 the async function's own promise; then what the await made.
  await record('await promise', [settled], () => awaitsPromise(settled)),
  await record('await value', [settled], () => awaitsValue()),
  // An async generator's `yield` awaits its value as `await value` does, with no `await` written.
  await record('async generator yield', [settled], () => yields().next()),
  await record('then', [settled], () => thens(settled)),
  await record('Promise.all', [settled], () => Promise.all([settled, settled])),
  await record('new Promise', [settled], () => new Promise((resolve) => resolve(1))),
]);
console.log(JSON.stringify({ twoHooks: second, cases }));
