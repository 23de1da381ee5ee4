// Where the promise an await makes says it was made, for code that no module loader loaded:
// built with eval, with new Function (async), or run by node:vm under a file name of its own.
import { promiseHooks } from 'node:v8';
import vm from 'node:vm';

let frames;
function init(_promise, parent) {
  if (frames !== undefined || parent === undefined) return;
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  const holder = {};
  Error.captureStackTrace(holder, init);
  const [top] = holder.stack;
  Error.prepareStackTrace = saved;
  frames = { file: top.getFileName() ?? null, isEval: top.isEval(), evalOrigin: top.getEvalOrigin() ?? null };
}
promiseHooks.createHook({ init });

async function firstAwaitOf(fn) {
  const settled = Promise.resolve();
  frames = undefined;
  const run = fn(settled);
  const seen = frames;
  frames = {};
  await run;
  return seen;
}

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const result = {
  self: new URL(import.meta.url).href,
  eval: await firstAwaitOf(eval('(async function (p) { await p; })')),
  newFunction: await firstAwaitOf(new AsyncFunction('p', 'await p;')),
  vm: await firstAwaitOf(vm.runInThisContext('(async function (p) { await p; })', { filename: '/somewhere/plugin.js' })),
};
console.log(JSON.stringify(result));
