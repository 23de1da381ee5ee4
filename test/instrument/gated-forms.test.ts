import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentSource } from '../../src/instrument/transform.js';
import { AccessRecorder } from '../../src/runtime/access-recorder.js';
import { installGateGlobals } from '../../src/runtime/gate-globals.js';
import type { Task } from '../../src/runtime/task.js';
import { disableTaskContext, enableTaskContext, runAsTask } from '../../src/runtime/task-context.js';
import { setRecorder } from '../../src/runtime/tracking-globals.js';
import { withoutSourceMap } from './ast-facts.js';

// The gates of promise calls, `yield*` and `await using`, run for real (race-hunt's own runtime
// functions) on instrumented code, inside a task whose scheduler grants every continuation at once.
// Each program runs as written and instrumented (both transpiled by esbuild, as tsx would): the
// values and the order of everything it logs must be the same, and the gates must have been called.
// (test/runtime/suspension-points.test.ts runs the same forms under the real scheduler.)

type Body = (log: (entry: unknown) => void, done: (result: Promise<unknown>) => void) => void;

interface Outcome {
  readonly value: unknown;
  readonly log: readonly unknown[];
  /** The LOC of every gate the program passed, in order; with the order key, for promise calls. */
  readonly gates: readonly string[];
}

/** A task of no scheduler: its gate logs and grants at once (settling as the value, as a grant does). */
function grantingTask(gates: string[]): Task {
  const gate = (_task: Task, value: unknown, location: string, orderKey?: object): Promise<unknown> => {
    gates.push(orderKey === undefined ? location : `${location} (ordered)`);
    return Promise.resolve(value);
  };
  return { execution: { gate } } as unknown as Task;
}

/** `source` as the body of an async function (on the same lines: LOCs keep their line numbers), compiled. */
function compile(source: string, instrumented: boolean, track = false): Body {
  const program = `done((async () => {${source}})());`;
  const text = instrumented ? withoutSourceMap(instrumentSource(program, '/p/m.ts', 'm.ts', { track })?.code ?? program) : program;
  const js = transformSync(text, { loader: 'ts', target: 'node20' }).code;
  return new Function('log', 'done', `'use strict';\n${js}`) as Body;
}

/**
 * `recording`: in a task while dpor records, where the promise-call gate also takes over the
 * lookup and the call for receivers that are not promises (to report them).
 */
async function run(source: string, mode: 'native' | 'in a task' | 'outside a task' | 'recording', track = false): Promise<Outcome> {
  const log: unknown[] = [];
  const gates: string[] = [];
  const body = compile(source, mode !== 'native', track);
  const record = (entry: unknown): void => void log.push(entry);
  let result: Promise<unknown> | undefined;
  const start = (): void => body(record, (promise) => (result = promise));
  const recorder = new AccessRecorder(true);
  recorder.active = true;
  if (mode === 'recording') setRecorder(recorder);
  try {
    if (mode === 'in a task' || mode === 'recording') runAsTask(grantingTask(gates), start);
    else start();
    const value = await result!.catch((error: unknown) => `threw ${String(error)}`);
    return { value, log, gates };
  } finally {
    setRecorder(undefined);
  }
}

const ordered = (gates: readonly string[]): string[] => gates.filter((gate) => gate.endsWith('(ordered)'));
const count = (gates: readonly string[], loc: string): number => gates.filter((gate) => gate === loc).length;

/** Runs `source` natively and instrumented (in a task, outside one, while dpor records); expects the same outcome and returns the gates. */
async function sameOutcome(source: string): Promise<readonly string[]> {
  const native = await run(source, 'native');
  const gated = await run(source, 'in a task');
  const transparent = await run(source, 'outside a task');
  const recording = await run(source, 'recording');
  expect({ value: gated.value, log: gated.log }).toEqual({ value: native.value, log: native.log });
  expect({ value: recording.value, log: recording.log }).toEqual({ value: native.value, log: native.log });
  expect(recording.gates).toEqual(gated.gates);
  expect({ value: transparent.value, log: transparent.log }).toEqual({ value: native.value, log: native.log });
  expect(transparent.gates).toEqual([]);
  return gated.gates;
}

beforeAll(() => {
  installGateGlobals();
  enableTaskContext();
});
afterAll(() => disableTaskContext());

describe('promise calls: evaluation order', () => {
  it('evaluates the receiver, looks the method up once, evaluates the arguments, then calls', async () => {
    const program = `
      const p = Promise.resolve(1);
      const own = p.then;
      Object.defineProperty(p, 'then', { get() { log('get then'); return function (...args) { log('call then'); return own.apply(this, args); }; } });
      const q = (log('receiver'), p).then((log('first argument'), (v) => { log('callback ' + v); return v + 1; }), (log('second argument'), undefined));
      log('returned');
      return await q;
    `;
    const gates = await sameOutcome(program);
    expect((await run(program, 'native')).log).toEqual(['receiver', 'get then', 'first argument', 'second argument', 'call then', 'returned', 'callback 1']);
    expect(ordered(gates)).toEqual(['m.ts:5:43 (ordered)']);
  });

  it('throws where the native code throws, after the same side effects', async () => {
    await sameOutcome(`
      const results = [];
      for (const receiver of [undefined, null, {}, { then: 1 }, 'text', 3]) {
        try { receiver.then((log('argument'), () => 0)); } catch (error) { results.push(error.constructor.name); }
      }
      return results;
    `);
  });

  it('short-circuits optional calls without evaluating their arguments', async () => {
    const gates = await sameOutcome(`
      const n = null;
      const p = Promise.resolve(2);
      const o = {};
      return [n?.then(log('not evaluated')), o.then?.(log('not evaluated')), await p?.then((v) => v * 2), await p.catch?.(() => 0)];
    `);
    expect(ordered(gates)).toEqual(['m.ts:5:92 (ordered)']);
  });
});

describe('promise calls: values', () => {
  it('keeps what then, catch and finally settle with, thrown and returned, through chains', async () => {
    const gates = await sameOutcome(`
      const fail = (m) => Promise.reject(new Error(m));
      const message = (e) => e.message;
      return [
        await Promise.resolve(1).then((v) => v + 1),
        await Promise.resolve(1).then(() => { throw new Error('thrown'); }).catch(message),
        await fail('rejected').then(() => 'not run', (e) => 'handled ' + e.message),
        await Promise.resolve(5).finally(() => 7),
        await fail('kept').finally(() => 7).catch(message),
        await Promise.resolve(5).finally(() => { throw new Error('finally threw'); }).catch(message),
        await Promise.resolve(5).finally(() => fail('finally rejected')).catch(message),
        await Promise.resolve(5).then(() => ({ then(resolve) { resolve('adopted'); } })),
        await fail('reason').catch(async (e) => { await null; return 'async ' + e.message; }),
      ];
    `);
    expect(ordered(gates)).toHaveLength(13);
  });

  it('passes non-function arguments as they are, and hands a rejection reason that is a promise over unadopted', async () => {
    const gates = await sameOutcome(`
      return [
        await Promise.resolve(3).then(null, 5),
        await Promise.reject(new Error('through')).then(1).catch((e) => e.message),
        await Promise.resolve(4).finally(undefined),
        await Promise.reject(Promise.resolve(9)).catch((reason) => reason instanceof Promise),
      ];
    `);
    expect(ordered(gates)).toEqual(['m.ts:4:66 (ordered)', 'm.ts:6:56 (ordered)']);
  });

  it('calls each callback with one argument and no receiver', async () => {
    await sameOutcome(`
      return [
        await Promise.resolve('v').then(function (...args) { return [args, this]; }),
        await Promise.resolve('v').finally(function (...args) { log([args, this]); }),
      ];
    `);
  });

  it('gates promise subclasses and thenables that call back later (promise libraries); one that calls back during then gets the callback as written', async () => {
    const gates = await sameOutcome(`
      class Tracked extends Promise {}
      const thenable = { then(f) { log('callback returned ' + f(2)); return 'sync'; } };
      const counted = { get then() { log('then read'); return (f) => f('called back'); } };
      const builder = { rows: [1, 2], then(resolve, reject) { log(reject === undefined); resolve(this.rows.length); } };
      const library = { then(f) { queueMicrotask(() => { log('library calls back'); f(5); }); } };
      const later = await new Promise((resolve) => library.then((v) => { resolve(v); return v * 2; }));
      return [await Tracked.resolve(4).then((v) => v + 1), thenable.then((v) => v * 10), await builder.then((n) => n), counted.then((v) => v), later];
    `);
    // The library's callback is gated (it returns the gate's promise, which settles with the
    // callback's result: a Promises/A+ library adopts it).
    expect(ordered(gates)).toEqual(['m.ts:7:65 (ordered)', 'm.ts:8:45 (ordered)']);
  });
});

describe('yield* in async generators', () => {
  it('delegates every step, forwards return and throw, and keeps the delegate\u2019s return value', async () => {
    const gates = await sameOutcome(`
      async function* inner() {
        try { const sent = yield 1; log('sent ' + sent); yield 2; yield 3; } catch (e) { log('inner caught ' + e); yield 'recovered'; } finally { log('inner finally'); }
        return 'inner done';
      }
      async function* outer() { const r = yield* inner(); log('yield* gave ' + r); }
      const a = outer();
      const steps = [await a.next(), await a.next('hello'), await a.throw('boom'), await a.next()];
      const b = outer();
      steps.push(await b.next(), await b.return('early'), await b.next());
      return steps;
    `);
    // a: next, next, throw, next; b: next, return.
    expect(count(gates, 'm.ts:6:43')).toBe(6);
  });

  it('reads the delegate\u2019s iterator methods as yield* does, and treats a missing throw or return as yield* does', async () => {
    const gates = await sameOutcome(`
      let reads = 0;
      const source = {
        get [Symbol.asyncIterator]() {
          reads++;
          return () => {
            let i = 0;
            return { get next() { log('next read'); return () => Promise.resolve({ value: i, done: i++ > 1 }); }, return(v) { log('return ' + v); return Promise.resolve({ done: true, value: v }); } };
          };
        },
      };
      async function* outer() { yield* source; }
      const a = outer();
      const out = [await a.next(), await a.next()];
      try { await a.throw(new Error('no throw method')); } catch (error) { out.push(error.constructor.name); }
      const b = outer();
      out.push(await b.next(), await b.return('stop'), reads);
      return out;
    `);
    // a: next, next, and the return that closes a delegate without throw; b: next, return.
    expect(count(gates, 'm.ts:12:33')).toBe(5);
  });

  it('gates the values of a sync delegate, through the engine\u2019s async-from-sync iterator', async () => {
    const gates = await sameOutcome(`
      function* sync() { try { yield 1; yield Promise.resolve(2); } finally { log('sync finally'); } return 'r'; }
      async function* outer() { log('got ' + (yield* sync())); log('string ' + (yield* 'ab')); }
      const values = [];
      for await (const v of outer()) values.push(v);
      const early = outer();
      values.push(await early.next(), await early.return('x'));
      try { for await (const v of (async function* () { yield* 5; })()) values.push(v); } catch (error) { values.push(error.constructor.name); }
      return values;
    `);
    // The values 1, 2 and 'r', then 1 and the return of the early stop; 'a', 'b' and the end.
    expect([count(gates, 'm.ts:3:47'), count(gates, 'm.ts:3:81')]).toEqual([5, 3]);
  });
});

describe('await using', () => {
  it('gates each disposal, in reverse order, keeping the bound value, its dispose getter runs and its own properties', async () => {
    const gates = await sameOutcome(`
      let getterRuns = 0;
      class Resource {
        constructor(name) { this.name = name; }
        get [Symbol.asyncDispose]() { getterRuns++; return async function () { log('dispose ' + this.name); }; }
      }
      const own = { name: 'own', async [Symbol.asyncDispose]() { log('dispose own'); return 'ignored'; } };
      const first = new Resource('first');
      {
        await using a = first, b = own;
        await using c = { [Symbol.dispose]() { log('sync dispose'); } };
        log(a === first && b === own);
        log(Object.getOwnPropertySymbols(a).length + ' ' + Object.getOwnPropertySymbols(b).length);
      }
      return [getterRuns, Object.getOwnPropertyDescriptor(own, Symbol.asyncDispose).enumerable];
    `);
    expect(gates).toEqual(['m.ts:11:9', 'm.ts:10:9', 'm.ts:10:9']);
  });

  it('keeps errors, null, frozen objects and values that are not disposable as they are', async () => {
    const gates = await sameOutcome(`
      const out = [];
      try {
        await using a = { async [Symbol.asyncDispose]() { throw new Error('dispose failed'); } };
        await using b = null;
        await using c = Object.freeze({ async [Symbol.asyncDispose]() { log('frozen disposed'); } });
        throw new Error('body failed');
      } catch (error) {
        out.push(error.constructor.name, error.error?.message, error.suppressed?.message);
      }
      try { await using d = { notDisposable: true }; } catch (error) { out.push(error.constructor.name); }
      try { { await using e = { [Symbol.dispose]() { throw new Error('sync failed'); } }; } } catch (error) { out.push(error.message); }
      return out;
    `);
    // The frozen object takes no accessor; null has no dispose method.
    expect(gates).toEqual(['m.ts:4:9', 'm.ts:12:15']);
  });
});

describe('tracked code (dpor) with the real tracking runtime', () => {
  it('runs each getter once, in every form of call and access it tracks', async () => {
    const program = `
      const runs = {};
      const counted = (name, value) => { runs[name] = (runs[name] ?? 0) + 1; return value; };
      const g = {
        level: 1,
        get method() { return counted('method', (n = 0) => n + 1); },
        get tag() { return counted('tag', (strings) => strings.join('')); },
        get value() { return counted('value', this.level); },
        set value(v) { this.level = v; },
        get nested() { return counted('nested', { inner: () => 2 }); },
        get pending() { return counted('pending', { then: (resolve) => resolve(3) }); },
        get missing() { return counted('missing', undefined); },
      };
      const proxy = new Proxy({ m() { return 'proxied'; } }, { get: (t, k, r) => (log('trap ' + String(k)), Reflect.get(t, k, r)) });
      const out = [g.method(), g['method'](), (g.method)(), g.method?.(), g?.method(), g.missing?.()];
      out.push(g.method(await Promise.resolve(1)), g.method(await g.method(), await Promise.resolve(2)));
      out.push(g.tag\`template\`, (g.value += 1), g.value++, g.value, g.nested.inner(), await g.pending.then((v) => v), proxy.m());
      try { g.missing(); } catch (error) { out.push(error.constructor.name); }
      return [out, runs];
    `;
    const native = await run(program, 'native');
    const tracked = await run(program, 'recording', true);
    expect({ value: tracked.value, log: tracked.log }).toEqual({ value: native.value, log: native.log });
    expect(native.log).toEqual(['trap m']);
  });
});
