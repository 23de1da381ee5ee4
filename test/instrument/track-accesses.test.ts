import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { build, transformSync } from 'esbuild';
import fc from 'fast-check';
import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import { instrumentSource } from '../../src/instrument/transform.js';
import { linesOf, withoutSourceMap } from './ast-facts.js';

const ZOO_DIR = join(import.meta.dirname, '..', 'fixtures', 'syntax-zoo');

// A runtime whose calls only hand their argument back, for code run in a child process.
const IDENTITY_RUNTIME = [
  "for (const n of ['r', 'ra', 'w', 'wa', 'p', 'c', 'cm', 'a']) globalThis['__rh$' + n] = (o) => o;",
  "for (const n of ['v', 'vw', 'x']) globalThis['__rh$' + n] = () => {};",
  'globalThis.__rh$fn = 0; globalThis.__rh$await = (v) => v; globalThis.__rh$forAwait = (v) => v; globalThis.__rh$import = (p) => p;',
  'globalThis.__rh$own = (f) => f;',
  'globalThis.__rh$then = (v) => v; globalThis.__rh$yieldStar = (v) => v; globalThis.__rh$using = (v) => v;',
].join('\n');

const runNode = (args: string[], cwd?: string): string => execFileSync(process.execPath, args, { encoding: 'utf8', cwd });

/** The tracking rewrite of `source` as the file `file`, without its source map. */
function track(source: string, file = 'm.js'): string {
  const result = instrumentSource(source, `/p/${file}`, file, { track: true });
  if (result === undefined) throw new Error(`${file} was not instrumented`);
  return withoutSourceMap(result.code).replace(/\n$/, '');
}

// A fake runtime, run inside the evaluation's context: it records each call as a short string
// (`r o.k`, `vw x`…), naming objects by `label(name, object)` and variables by their name.
const FAKE_RUNTIME = `
globalThis.records = [];
const labels = new Map([[globalThis, 'globalThis']]);
const nameOf = (v) => labels.get(v) ?? (typeof v === 'function' ? v.name || 'fn' : typeof v === 'object' && v !== null ? '?' : String(v));
const isObject = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';
const variable = (id) => id.slice(id.lastIndexOf(':') + 1);
const label = (name, value) => { labels.set(value, name); return value; };
globalThis.label = label;
globalThis.__rh$r = (o, k) => { if (!(o === globalThis && k === 'label')) records.push('r ' + nameOf(o) + '.' + k); return o; };
globalThis.__rh$ra = (o) => { records.push('ra ' + nameOf(o)); return o; };
globalThis.__rh$w = (o, k) => { records.push('w ' + nameOf(o) + '.' + k); return o; };
globalThis.__rh$wa = (o) => { records.push('wa ' + nameOf(o)); return o; };
globalThis.__rh$p = (x) => { if (isObject(x)) records.push('p ' + nameOf(x)); return x; };
globalThis.__rh$v = (id) => { records.push('v ' + variable(id)); };
globalThis.__rh$vw = (id) => { records.push('vw ' + variable(id)); };
globalThis.__rh$c = (f) => { if (f !== label) records.push('c ' + nameOf(f)); return f; };
globalThis.__rh$cm = (o, k) => { records.push('cm ' + nameOf(o) + '.' + k); return o; };
globalThis.__rh$x = () => { records.push('x'); };
globalThis.__rh$a = (f) => { if (typeof f === 'function' && f !== label) records.push('a ' + nameOf(f)); return f; };
globalThis.__rh$fn = undefined;
globalThis.__rh$await = (v) => v;
globalThis.__rh$forAwait = (v) => v;
globalThis.__rh$import = (p) => p;
globalThis.__rh$own = (f) => f;
// The promise-call gate reports the lookup and the call of the method, as __rh$cm does.
globalThis.__rh$then = (o, k) => { if (o !== null && o !== undefined) records.push('cm ' + nameOf(o) + '.' + k); return o; };
globalThis.__rh$yieldStar = (v) => v;
globalThis.__rh$using = (v) => v;
const json = (key, v) => {
  if (v === undefined) return '<undefined>';
  if (typeof v === 'function') return '<function>';
  if (typeof v === 'bigint') return v + 'n';
  return Number.isNaN(v) ? '<NaN>' : v;
};
globalThis.show = (value) => { try { return JSON.stringify(value, json); } catch (error) { return String(error); } };
`;

interface Evaluation {
  /** `result` (which the code declares, maybe as a promise), as JSON. */
  readonly result: string;
  readonly records: readonly string[];
}

/** Runs `code` as a function body (strict unless `sloppy`) in a fresh context with the fake runtime. */
async function evaluate(code: string, sloppy = false): Promise<Evaluation> {
  const context = vm.createContext({});
  vm.runInContext(FAKE_RUNTIME, context);
  const body = `(async function () {${sloppy ? '' : "'use strict';"}\n${code}\n;return show(await result);\n})()`;
  const result = (await vm.runInContext(body, context)) as string;
  return { result, records: [...(context.records as string[])] };
}

/** Evaluates `source` as it is and instrumented; expects the same result and returns the records. */
async function sameResult(source: string, file = 'm.js'): Promise<readonly string[]> {
  const sloppy = file.endsWith('.cjs');
  const original = await evaluate(source, sloppy);
  const tracked = await evaluate(track(source, file), sloppy);
  expect(tracked.result, track(source, file)).toBe(original.result);
  return tracked.records;
}

/** The same for TypeScript: both transpiled by esbuild (as tsx would) before they run. */
async function sameResultTs(source: string): Promise<readonly string[]> {
  const js = (code: string): string => transformSync(code, { loader: 'ts', target: 'node20' }).code;
  const original = await evaluate(js(source));
  const tracked = await evaluate(js(track(source, 'm.ts')));
  expect(tracked.result, track(source, 'm.ts')).toBe(original.result);
  return tracked.records;
}

// Soundness, checked: every property access the program makes (seen through proxies) must be
// reported in the step that makes it (steps end where an instrumented await suspends).
const ORACLE = `
  let step = 0;
  let watching = true;
  const records = [];
  const accesses = [];
  const record = (kind, target, key) => { if (watching) records.push({ step, kind, target, key }); };
  globalThis.__rh$r = (o, k) => (record('r', o, k), o);
  globalThis.__rh$ra = (o) => (record('ra', o), o);
  globalThis.__rh$w = (o, k) => (record('w', o, k), o);
  globalThis.__rh$wa = (o) => (record('wa', o), o);
  globalThis.__rh$p = (o) => (record('p', o), o);
  // As the runtime's: the one lookup of o[k], and the call reported again when it is made.
  globalThis.__rh$cm = (o, k) => {
    record('cm', o, k);
    if (o === null || o === undefined) return o;
    const f = o[k];
    return typeof f !== 'function' ? { [k]: f } : { [k]: (...args) => (record('cm', o, k), Reflect.apply(f, o, args)) };
  };
  globalThis.__rh$x = () => record('x');
  globalThis.__rh$c = (f) => (record('c', f), f);
  globalThis.__rh$a = (f) => f;
  globalThis.__rh$v = globalThis.__rh$vw = () => {};
  globalThis.__rh$fn = undefined;
  globalThis.__rh$forAwait = (v) => v;
  globalThis.__rh$own = (f) => f;
  globalThis.__rh$then = (o, k) => (record('cm', o, k), o);
  globalThis.__rh$yieldStar = (v) => v;
  globalThis.__rh$using = (v) => v;
  globalThis.__rh$await = (v) => ({
    then(resolve, reject) {
      Promise.resolve(v).then((x) => { step++; resolve(x); }, (e) => { step++; reject(e); });
    },
  });
  const READS = new Set(['r', 'w', 'ra', 'wa', 'p', 'cm']);
  const watchedObjects = new WeakSet();
  const isNative = (f) => typeof f === 'function' && Function.prototype.toString.call(f).includes('[native code]');
  // What the runtime must take as reading anything: converting an array (its elements convert
  // too), and calling a built-in on something other than a watched receiver (String.raw, Array
  // read and convert their arguments; the runtime classifies built-ins).
  const everything = (r) => r.kind === 'x' || (r.kind === 'p' && Array.isArray(r.target)) || (r.kind === 'c' && isNative(r.target))
    || (r.kind === 'cm' && !watchedObjects.has(r.target) && r.target != null && isNative(r.target[r.key]));
  const covers = (r, a) => everything(r) || (r.target === a.target && (a.write
    ? r.kind === 'wa' || r.kind === 'cm' || (r.kind === 'w' && r.key === a.key)
    : READS.has(r.kind) && (r.key === undefined || r.kind === 'cm' || r.key === a.key)));
  globalThis.watched = (value) => {
    if (typeof value !== 'object' || value === null) return value;
    for (const [key, { value: inner }] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
      if (inner !== undefined) value[key] = watched(inner);
    }
    const log = (kind, key, write) => {
      // Awaiting a value reads its then: the runtime reports awaits itself.
      if (watching && key !== 'then') accesses.push({ step, kind, target: proxy, key: typeof key === 'string' ? key : undefined, write });
    };
    const proxy = new Proxy(value, {
      get: (t, k, r) => (log('get', k, false), Reflect.get(t, k, r)),
      has: (t, k) => (log('has', k, false), Reflect.has(t, k)),
      ownKeys: (t) => (log('ownKeys', undefined, false), Reflect.ownKeys(t)),
      getOwnPropertyDescriptor: (t, k) => (log('describe', k, false), Reflect.getOwnPropertyDescriptor(t, k)),
      set: (t, k, v, r) => (log('set', k, true), Reflect.set(t, k, v, r)),
      deleteProperty: (t, k) => (log('delete', k, true), Reflect.deleteProperty(t, k)),
      defineProperty: (t, k, d) => (log('define', k, true), Reflect.defineProperty(t, k, d)),
    });
    watchedObjects.add(proxy);
    return proxy;
  };
  globalThis.unreported = () => {
    watching = false;
    return accesses.filter((a) => !records.some((r) => r.step === a.step && covers(r, a)))
      .map((a) => a.kind + ' ' + String(a.key) + ' in step ' + a.step);
  };
`;

/** The property accesses of `source`, instrumented and run with the oracle, that no report covers. */
async function unreportedAccesses(source: string): Promise<string[]> {
  const context = vm.createContext({});
  vm.runInContext(ORACLE, context);
  await vm.runInContext(`(async () => {\n${track(source)}\n})()`, context);
  return vm.runInContext('unreported()', context) as string[];
}

describe('tracking mode: the API', () => {
  it('instruments files without awaits, counts its calls, and is off by default', () => {
    const source = 'export const o = { a: 1 };\nexport const b = o.a;\n';
    expect(instrumentSource(source, '/p/m.ts', 'm.ts')).toBeUndefined();
    const tracked = instrumentSource(source, '/p/m.ts', 'm.ts', { track: true });
    expect(withoutSourceMap(tracked?.code ?? '')).toBe('export const o = { a: 1 };\nexport const b = __rh$r(o, "a").a;\n');
    expect(tracked?.trackedAccesses).toBe(1);
    expect(tracked?.awaitPoints).toBe(0);
    expect(instrumentSource('await x;', '/p/m.ts', 'm.ts')?.trackedAccesses).toBe(0);
    expect(instrumentSource('const x = 1;', '/p/m.ts', 'm.ts', { track: true })?.code).toContain('const x = 1;');
  });

  it('still passes through unknown extensions and text that does not parse', () => {
    expect(instrumentSource('x.y', '/p/m.json', 'm.json', { track: true })).toBeUndefined();
    expect(instrumentSource('const = 1;', '/p/m.ts', 'm.ts', { track: true })).toBeUndefined();
  });

  it('composes with the gates: awaits, for await, async-generator yields and import()', () => {
    expect(track('async function f(o) { return await o.p; }')).toBe(
      'async function f(o) {__rh$fn; return await __rh$await(__rh$r(o, "p").p, "m.js:1:30"); }',
    );
    expect(track('async (o) => { for await (const x of o.xs) {} }')).toBe(
      'async (o) => {__rh$fn; for await (const x of __rh$forAwait((__rh$i0 = __rh$ra(__rh$r(o, "xs").xs)), "m.js:1:16")) {var __rh$i0; try {{}} finally {__rh$ra(__rh$i0);}} }',
    );
    expect(track('async function* g(o) { yield o.v; }')).toBe(
      'async function* g(o) {__rh$fn; yield await __rh$await(__rh$r(o, "v").v, "m.js:1:24"); }',
    );
    expect(track("const m = import('./x.js');")).toBe("const m = (__rh$x(), __rh$import(import('./x.js')));");
  });

  it('leaves promise calls, yield* and await using to their gates, which report what they do', () => {
    // The promise-call gate looks `then` up and makes the call: it reports both (no __rh$cm), in
    // the step that makes each, even when an await in the arguments splits them.
    expect(track('async (o) => o.p.then(o.q)')).toBe('async (o) => (__rh$fn, __rh$then(__rh$r(o, "p").p, "then", "m.js:1:23").then(__rh$a(__rh$r(o, "q").q)))');
    expect(track('async (p) => { p.catch(await g); }')).toBe('async (p) => {__rh$fn; __rh$then(p, "catch", "m.js:1:24").catch(__rh$a(await __rh$await((__rh$r(globalThis, "g"), g), "m.js:1:24"))); }');
    // Forms the gate leaves alone are tracked as before (this chain cannot be reported link by link: opaque).
    expect(track('(o) => o?.a.then(f)')).toBe('(o) => (__rh$fn, (__rh$x(), __rh$r(o, "a")?.a.then(__rh$a((__rh$r(globalThis, "f"), f)))))');
    expect(track('(o) => o.a[k](f)')).toContain('(__rh$x(), __rh$ra(__rh$r(o, "a").a))[');
    expect(track('async function* g(o) { yield* o.xs; }')).toBe('async function* g(o) {__rh$fn; yield* __rh$yieldStar(__rh$ra(__rh$r(o, "xs").xs), "m.js:1:24"); }');
    expect(track('async (o) => { await using r = o.r; }')).toBe('async (o) => {__rh$fn; await using r = __rh$using(__rh$r(o, "r").r, "m.js:1:16"); }');
  });

  it('keeps the lines, and every line after a moved parameter pattern where it was', () => {
    const source = 'function f({\n  a,\n  b = 2,\n}) {\n  return a + b;\n}\nlet x = 1;\nx\n++x\n';
    const lines = linesOf(withoutSourceMap(instrumentSource(source, '/p/m.js', 'm.js', { track: true })?.code ?? ''));
    expect(lines).toEqual([
      'function f(__rh$p0) {__rh$fn;var {',
      '  a,',
      '  b = 2,',
      '} = __rh$ra(__rh$p0);',
      '  return __rh$p(a) + __rh$p(b);',
      '}',
      'let x = 1;',
      ';(__rh$v("/p/m.js#54:x"), x)',
      ';(__rh$vw("/p/m.js#54:x"), ++x)',
      '',
    ]);
  });
});

describe('tracking mode: members', () => {
  it('reports reads by key, computed reads of everything, and converts computed keys', async () => {
    const records = await sameResult(`
      const o = label('o', { a: 1, b: label('b', { c: 2 }), 0: 'zero' });
      const k = label('k', { toString() { return 'a'; } });
      const result = [o.a, o['a'], o[0], o[k], o.b.c];
    `);
    expect(records).toEqual(['r o.a', 'r o.a', 'r o.0', 'ra o', 'p k', 'r o.b', 'r b.c']);
  });

  it('reports writes of assignments, compound and logical assignments, updates and delete, with their values', async () => {
    const records = await sameResult(`
      const o = label('o', { a: 1, b: 0, c: null });
      const k = 'b';
      const result = [o.a = 5, o.a += 2, o.a **= 2, o.c ??= 3, o.c &&= 4, o.a++, ++o.a, o[k] -= 1, delete o.c, o];
    `);
    expect(records).toEqual(['w o.a', 'w o.a', 'w o.a', 'w o.c', 'w o.c', 'w o.a', 'w o.a', 'wa o', 'w o.c']);
  });

  it('reports calls with their receiver kept, however the callee is written', async () => {
    const records = await sameResult(`
      const o = label('o', { v: 1, m() { return this === o; } });
      const k = 'm';
      const f = label('f', function () { return this; });
      const result = [o.m(), o['m'](), o[k](), (o.m)(), o?.m(), o.m?.(), (0, o.m)(), f(), new (label('C', class C {}))() instanceof Object];
    `);
    expect(records).toEqual(['cm o.m', 'cm o.m', 'x', 'ra o', 'cm o.m', 'cm o.m', 'cm o.m', 'r o.m', 'c m', 'c f', 'c C', 'r Object.prototype']);
  });

  it('reports arguments that may be functions, for the runtime to check (whoever receives one may call it later)', async () => {
    const records = await sameResult(`
      const g = label('g', (x) => x + 1);
      const xs = label('xs', [1]);
      const result = [xs.map(g), xs.map((x) => x), String(1), new (label('C', class C { constructor(f) { this.f = f; } }))(g).f === g];
    `);
    expect(records.filter((r) => r.startsWith('a '))).toEqual(['a g', 'a g']);
    expect(track('f(1, "s", `t`, [g], { g }, () => 0, function () {}, class {}, ...h)')).toBe(
      '__rh$c((__rh$r(globalThis, "f"), f))(1, "s", `t`, [(__rh$r(globalThis, "g"), g)], { g: (__rh$r(globalThis, "g"), g) }, () => (__rh$fn, 0), function () {__rh$fn;}, class {}, ...__rh$ra((__rh$r(globalThis, "h"), h)))',
    );
  });

  it('runs a getter once, whatever reads it', async () => {
    await sameResult(`
      let count = 0;
      const o = { get g() { count++; return { h() { return count; }, n: { v: count } }; } };
      const result = [o.g.h(), o.g.n.v, o?.g?.n.v, o.g?.h(), \`\${o.g.n.v}\`, count];
    `);
  });

  it('reports tagged templates as calls, and leaves their values unconverted', async () => {
    const records = await sameResult(`
      const o = label('o', { t(strings, ...values) { return [this === o, strings.raw, values]; } });
      const x = label('x', {});
      const result = [o.t\`a\${x}b\`, String.raw\`\${1}\`];
    `);
    expect(records).toEqual(['cm o.t', 'r ?.raw', 'cm String.raw']);
  });
});

describe('tracking mode: optional chains', () => {
  it('short-circuits as before, and marks chains it cannot report link by link opaque', async () => {
    const records = await sameResult(`
      const n = null;
      const o = label('o', { b: label('b', { c: 1 }), m() { return this === o; } });
      const result = [n?.a, n?.a.b, n?.a.b(), n?.[0].x, o?.b.c, o.z?.c, o.b?.c?.d, n?.m(), o.m?.(), n?.b?.c, (n?.a)?.b];
    `);
    // n?.a.b, n?.a.b(), n?.[0].x and o?.b.c: a link after an optional one, not itself optional.
    expect(records.filter((record) => record === 'x')).toHaveLength(4);
  });

  it('rewrites links whose object has no optional link, and splits at later optional links', () => {
    expect(track('(o, f) => [o?.k, f?.(), o.m?.(), o?.a?.b, o?.a.b];')).toBe(
      '(o, f) => (__rh$fn, [__rh$r(o, "k")?.k, __rh$c(f)?.(), __rh$cm(o, "m").m?.(), __rh$r(__rh$r(o, "a")?.a, "b")?.b, (__rh$x(), __rh$r(o, "a")?.a.b)]);',
    );
  });
});

describe('tracking mode: private names and super', () => {
  it('keeps receivers and getters of private fields, methods and accessors', async () => {
    const records = await sameResult(`
      let count = 0;
      class A {
        #x = 1;
        #f = function () { return this; };
        #m() { return this.#x; }
        get #g() { count++; return () => this.#x; }
        static run(a) { return [a.#m(), a.#g(), a.#f() === a, #x in a, a.#x++, a.#x, this.#s(a)]; }
        static #s(a) { return a?.#x; }
      }
      const result = [A.run(new A()), count];
    `);
    expect(records).toContain('r ?.#x');
    expect(records).toContain('w ?.#x');
  });

  it('marks super accesses opaque and leaves them working', async () => {
    const records = await sameResult(`
      class A { m() { return 'A'; } get g() { return 'g'; } }
      class B extends A {
        constructor() { super(); this.v = 1; }
        m() { super.x = 2; return [super.m(), super.g, super['m'](), super.x]; }
      }
      const result = new B().m();
    `);
    expect(records.filter((record) => record === 'x').length).toBeGreaterThanOrEqual(4);
  });
});

describe('tracking mode: variables', () => {
  it('reports shared variables: module level, or changed by a closure', async () => {
    const records = await sameResult(`
      let total = 0;
      const fixed = 1;
      function add(n) { total += n; return total; }
      function local() { let own = 0; own++; return own; }
      function counter() { let c = 0; return () => ++c; }
      const next = counter();
      const result = [add(2), add(fixed), local(), next(), next()];
    `);
    expect(records.filter((record) => /^vw? /.test(record))).toEqual(['vw total', 'v total', 'vw total', 'v total', 'vw c', 'vw c']);
  });

  it('reports shorthand properties, destructuring targets and for…in/of heads', async () => {
    const records = await sameResult(`
      let a = 1, b = 2, seen = [];
      const o = { a, b };
      [a, b] = [b, a];
      ({ a = 5 } = {});
      for (a of [7, 8]) seen.push(a);
      for (b in { p: 1 }) seen.push(b);
      const result = [o, a, b, seen];
    `);
    expect(records.filter((record) => record === 'vw a')).toHaveLength(4);
    expect(records.filter((record) => record === 'vw b')).toHaveLength(2);
  });

  it('marks writes of exported and undeclared variables opaque, and reports reads of unknown globals', () => {
    expect(track('export let n = 0; export function inc() { n++; }')).toBe(
      'export let n = 0; export function inc() {__rh$fn; ;(__rh$vw("/p/m.js#11:n"), __rh$x(), n++); }',
    );
    expect(track('let m = 0; m = 1; export { m as mm };')).toBe('let m = 0; ;(__rh$vw("/p/m.js#4:m"), __rh$x(), m = 1); export { m as mm };');
    expect(track('g = 1; h; Math; typeof w; typeof Math;')).toBe(
      ';(__rh$x(), g = 1); ;(__rh$r(globalThis, "h"), h); Math; ;(__rh$r(globalThis, "w"), typeof w); typeof Math;',
    );
  });

  it('reports a var written anew by each iteration of a loop', async () => {
    const records = await sameResult(`
      const readers = [];
      for (let i = 0; i < 2; i++) { var v = i; readers.push(() => v); }
      const result = readers.map((r) => r());
    `);
    expect(records.filter((record) => record === 'vw v')).toHaveLength(2);
  });

  it('never reports constants, imports or unchanged variables', () => {
    expect(track("import { a } from 'a'; const b = 1; let c = 2; function f() { return a + b + c; }")).toBe(
      "import { a } from 'a'; const b = 1; let c = 2; function f() {__rh$fn; return __rh$p(a) + __rh$p(b) + __rh$p(c); }",
    );
  });

  it('marks sloppy functions that use arguments, with statements and direct eval opaque', async () => {
    const records = await sameResult(
      `
      function f(a) { arguments[0] = 2; return a; }
      const o = { p: 1, m() { return this === o; } };
      let w;
      with (o) { w = [p, m()]; }
      const result = [f(1), w, eval('1 + 1'), (0, eval)('2')];
    `,
      'm.cjs',
    );
    expect(records).toContain('x');
    expect(track('function f() { return arguments.length; }', 'm.cjs')).toContain('{__rh$fn; __rh$x();');
    expect(track('function f() { return arguments.length; }', 'm.js')).not.toContain('__rh$x()');
    expect(track('eval(s)', 'm.cjs')).toBe(';(__rh$x(), eval((__rh$r(globalThis, "s"), s)))');
  });
});

describe('tracking mode: implicit reads', () => {
  it('reports iteration, spread, yield*, in and instanceof', async () => {
    const records = await sameResult(`
      const xs = label('xs', [1, 2]);
      const o = label('o', { a: 1 });
      function* g() { yield* xs; }
      class C {}
      const out = [];
      for (const x of xs) out.push(x);
      for (const k in o) out.push(k);
      const result = [out, [...xs], { ...o }, Math.max(...xs), [...g()], 'a' in o, o instanceof label('C', C)];
    `);
    expect(records).toEqual(expect.arrayContaining(['ra xs', 'ra o', 'r C.prototype']));
    expect(records.filter((record) => record === 'ra xs')).toHaveLength(4);
  });

  it('reports the iterable again in every step a suspending loop resumes in', async () => {
    const records = await sameResult(`
      const q = label('q', [1, 2, 3]);
      const o = label('o', { a: 1, b: 2 });
      const seen = [];
      async function drain() {
        for (const x of q) { if (x === 2) continue; await null; seen.push(x); if (x === 3) break; }
        for (const k in o) { await null; seen.push(k); }
        for await (const [y] of [[4]]) seen.push(y);
        return seen;
      }
      const result = drain();
    `);
    // Once where the loop starts, then at the end of every iteration (continue and break included).
    expect(records.filter((record) => record === 'ra q')).toHaveLength(4);
    expect(records.filter((record) => record === 'ra o')).toHaveLength(3);
    expect(track('for (const x of q) await x;')).toBe(
      'for (const x of (__rh$i0 = __rh$ra((__rh$r(globalThis, "q"), q)))) {var __rh$i0; try {await __rh$await(x, "m.js:1:20");} finally {__rh$ra(__rh$i0);}}',
    );
  });

  it('reports operands converted to primitives, and skips literals', async () => {
    const records = await sameResult(`
      const d = label('d', { valueOf() { return 2; }, toString() { return 'D'; } });
      const result = [d + 1, d * d, -d, \`\${d}!\`, d == 2, d === d, 1 + 2, d < 3, d == null];
    `);
    expect(records.filter((record) => record === 'p d')).toHaveLength(7);
    expect(track('(a, b) => [a + 1, `${"s"}${a}`, -1, a === b];')).toBe(
      '(a, b) => (__rh$fn, [__rh$p(a) + 1, `${"s"}${__rh$p(a)}`, -1, a === b]);',
    );
  });
});

describe('tracking mode: destructuring', () => {
  it('reports what declarations, assignments, parameters, catch and for…of heads destructure', async () => {
    const records = await sameResult(`
      const src = label('src', { a: 1, b: [2, 3], c: undefined });
      const { a, c = 4 } = src;
      const [x, ...rest] = src.b;
      let p, q;
      ({ a: p, ...q } = src);
      function f({ a }, [y] = [9]) { return [a, y]; }
      const g = ({ b }) => b;
      const h = async ({ a }) => a;
      let caught;
      try { throw src; } catch ({ a: e }) { caught = e; }
      const heads = [];
      for (const { a } of [src]) heads.push(a);
      const result = Promise.all([a, c, x, rest, p, q, f(src), f(src, [8]), g(src), h(src), caught, heads]);
    `);
    // All but f's first parameter, which a later default keeps in place (marked opaque instead).
    expect(records.filter((record) => record === 'ra src')).toHaveLength(6);
    expect(records.filter((record) => record === 'x')).toHaveLength(2);
  });

  it('marks nested patterns opaque', async () => {
    const records = await sameResult(`
      const src = { a: { b: 1 }, c: [[2]] };
      const { a: { b } } = src;
      const [[d]] = src.c;
      const f = ({ a: { b: e } }) => e;
      const result = [b, d, f(src)];
    `);
    expect(records.filter((record) => record === 'x')).toHaveLength(3);
  });

  it('moves parameter patterns into the body, keeping defaults, annotations and arity', async () => {
    expect(track('function f({ a }: T = {}, b) { "use strict"\n return a; }', 'm.ts')).toBe(
      'function f(__rh$p0: T = {}, b) { "use strict";__rh$fn;var { a } = __rh$ra(__rh$p0);\n return a; }',
    );
    await sameResult(`
      function f({ a } = { a: 1 }, [b, c = a] = [2]) { return [a, b, c]; }
      const g = ({ x }, y) => ({ x, y });
      const result = [f(), f({ a: 5 }, [6]), f.length, g.length, g({ x: 1 }, 2)];
    `);
  });

  it('marks patterns it cannot move opaque: later defaults, names the body or later parameters declare, generators', async () => {
    expect(track('function f({ a }, b = 1) { return a; }')).toContain('{__rh$fn; __rh$x(); return a; }');
    expect(track('function f({ a = x }) { var x = 2; return a; }')).toContain('{__rh$fn; __rh$x(); var x');
    expect(track('function f({ a = b }, b) {}')).toBe('function f({ a = b }, b) {__rh$fn; __rh$x();}');
    expect(track('function* f({ a }, [b]) {}')).toBe('function* f({ [(__rh$x(), "a")]: a }, [b]) {__rh$fn; __rh$x();}');
    await sameResult(`
      function* f({ a, b = a }, { [1 + 1]: c }) { yield [a, b, c]; }
      function g({ a }, b = 2) { return [a, b]; }
      const result = [[...f({ a: 1 }, { 2: 3 })], g({ a: 1 })];
    `);
  });

  it('keeps the errors destructuring throws (their type)', async () => {
    await sameResult(`
      const kind = (f) => { try { f(); return 'ok'; } catch (e) { return e.constructor.name; } };
      const result = [kind(() => { const { a } = null; }), kind(() => (({ a }) => a)()), kind(() => { for (const [x] of [1]); })];
    `);
  });
});

describe('tracking mode: functions', () => {
  it('starts every function body with the marker, after its directives', () => {
    expect(track('function f() { "use strict"; return 1; } const g = () => ({}); class A { m() {} static { x; } }')).toBe(
      'function f() { "use strict";__rh$fn; return 1; } const g = () => (__rh$fn, ({})); class A { m() {__rh$fn;} static { ;(__rh$r(globalThis, "x"), x); } }',
    );
  });

  it('keeps closures, generators, async functions and classes working', async () => {
    const records = await sameResult(`
      const shared = label('shared', { n: 0 });
      async function task(name) {
        const before = shared.n;
        await null;
        shared.n = before + 1;
        return name;
      }
      function* gen() { let i = 0; while (i < 3) yield i++; }
      class Counter { static total = 0; #n = 0; inc() { Counter.total++; return ++this.#n; } }
      const c = new Counter();
      const result = Promise.all([task('a'), task('b')]).then((names) => [names, shared.n, [...gen()], c.inc(), c.inc(), Counter.total]);
    `);
    // Two tasks writing shared.n: both writes are reported.
    expect(records.filter((record) => record === 'w shared.n')).toHaveLength(2);
  });

  it('wraps JSX opaque and keeps it valid', () => {
    expect(track('const e = <div a={x.y}>{<b />}</div>;', 'v.tsx')).toBe(
      'const e = (__rh$x(), <div a={__rh$r((__rh$r(globalThis, "x"), x), "y").y}>{(__rh$x(), <b />)}</div>);',
    );
  });
});

describe('tracking mode: accesses an await splits', () => {
  it('reports again, once the await resumes, what completes after it', () => {
    const output = track('let total = 0; async function f(o, xs, g) { total += await g(); o.k = await g(); xs.push(await g()); return o.n + await g(); }');
    expect(output.replace(/"m\.js:1:\d+"/g, 'LOC')).toBe(
      'let total = 0; async function f(o, xs, g) {__rh$fn; ;(__rh$vw("/p/m.js#4:total"), total += __rh$p([await __rh$await(__rh$c(g)(), LOC), __rh$vw("/p/m.js#4:total")][0])); ' +
        '__rh$w(o, "k").k = [await __rh$await(__rh$c(g)(), LOC), __rh$w(o, "k")][0]; ' +
        // The call of xs.push, after the await: `__rh$cm` hands back an object whose push reports it when made.
        '__rh$cm(xs, "push").push(__rh$a(await __rh$await(__rh$c(g)(), LOC))); ' +
        // o.n was read before the await; what it converts to is known only after: opaque.
        'return __rh$p(__rh$r(o, "n").n) + __rh$p([await __rh$await(__rh$c(g)(), LOC), __rh$x()][0]); }',
    );
  });

  it('keeps values and order of evaluation around the awaits it wraps', async () => {
    const records = await sameResult(`
      const o = label('o', { k: 0, n: 1 });
      const xs = label('xs', []);
      let total = 0;
      const g = async () => 2;
      async function f() { total += await g(); o.k = await g(); xs.push(await g()); return [o.n + await g(), total, o, xs]; }
      function* gen() { o.k = yield 1; }
      const it = gen();
      it.next();
      it.next(5);
      const result = f();
    `);
    expect(records.filter((record) => record === 'w o.k')).toHaveLength(4);
    expect(records.filter((record) => record === 'cm xs.push')).toHaveLength(1);
  });
});

describe('tracking mode: CommonJS', () => {
  it('keeps the export forms Node reads names from, so that ES modules import them by name', () => {
    const directory = mkdtempSync(join(tmpdir(), 'race-hunt-track-'));
    try {
      const lib = [
        "'use strict';",
        'Object.defineProperty(exports, "__esModule", { value: true });',
        'let count = 0;',
        'exports.inc = () => ++count;',
        'module.exports.read = function () { return count; };',
        "exports['label'] = 'x';",
        "const values = require('./values.cjs');",
        "Object.defineProperty(exports, 'answer', { enumerable: true, get: function () { return values.answer; } });",
        "0 && (module.exports = { inc, read, ...require('./values.cjs') });",
      ].join('\n');
      const compiled = transformSync("export let n = 1; export function bump() { n++; return n; } export * from './values.cjs';", {
        loader: 'ts',
        format: 'cjs',
        platform: 'node',
      }).code;
      const files = { 'lib.cjs': lib, 'values.cjs': 'const answer = 42, other = 1;\nmodule.exports = { answer, other };', 'compiled.cjs': compiled };
      const main = [
        "import './runtime.mjs';",
        "import { inc, read, label, answer } from './lib.cjs';",
        "import { bump, other } from './compiled.cjs';",
        'inc(); inc();',
        'console.log(JSON.stringify([read(), label, answer, bump(), other]));',
      ].join('\n');
      writeFileSync(join(directory, 'runtime.mjs'), IDENTITY_RUNTIME);
      writeFileSync(join(directory, 'main.mjs'), main);
      const run = (tracking: boolean): string => {
        for (const [name, source] of Object.entries(files)) {
          const code = tracking ? track(source, name) : source;
          writeFileSync(join(directory, name), code);
        }
        return runNode(['main.mjs'], directory);
      };
      expect(run(false)).toBe('[2,"x",42,2,1]\n');
      expect(run(true)).toBe(run(false));
      expect(track(lib, 'lib.cjs')).toBe(
        [
          "'use strict';",
          '__rh$x(); Object.defineProperty(exports, "__esModule", { value: true });',
          'let count = 0;',
          ';(__rh$w(exports, "inc"), exports.inc = () => (__rh$fn, (__rh$vw("/p/lib.cjs#81:count"), ++count)));',
          ';(__rh$w(__rh$r(module, "exports").exports, "read"), module.exports.read = function () {__rh$fn; return (__rh$v("/p/lib.cjs#81:count"), count); });',
          ";(__rh$w(exports, \"label\"), exports['label'] = 'x');",
          "const values = require('./values.cjs');",
          "__rh$x(); Object.defineProperty(exports, 'answer', { enumerable: true, get: function () { return values.answer; } });",
          "0 && ((__rh$r(globalThis, \"inc\"), __rh$r(globalThis, \"read\"), __rh$ra(require('./values.cjs')), __rh$w(module, \"exports\"), module.exports = { inc, read, ...require('./values.cjs') }));",
        ].join('\n'),
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reports what the kept forms do, in front of them', () => {
    expect(track('module.exports = { a, b: c, ...d, e: 1 };', 'm.cjs')).toBe(
      ';(__rh$r(globalThis, "a"), __rh$r(globalThis, "c"), __rh$r(globalThis, "d"), __rh$ra(d), __rh$w(module, "exports"), module.exports = { a, b: c, ...d, e: 1 });',
    );
    expect(track('__exportStar(require("./x"), exports);', 'm.cjs')).toBe('__rh$c(__exportStar); __exportStar(require("./x"), exports);');
    // In an ES module, the same text is rewritten as any other.
    expect(track('exports.a = 1;', 'm.mjs')).toBe('__rh$w(exports, "a").a = 1;');
  });
});

describe('tracking mode: TypeScript', () => {
  it('leaves type positions, enums, declarations and import/export lists alone', () => {
    const source = [
      "import { q, type T } from './q.js';",
      'type U = typeof q;',
      'interface I { a: number }',
      'enum E { A = 1, B = A }',
      'declare const d: number;',
      'let t: typeof q.x = q;',
      'export { t };',
    ].join('\n');
    expect(track(source, 'm.ts')).toBe(source);
  });

  it('runs classes, namespaces, decorators, parameter properties and assertions the same', async () => {
    const records = await sameResultTs(`
      function dec(value: unknown, context: { kind: string }) { return value; }
      namespace N { export let c = 0; export function inc(): number { return ++c; } }
      @dec class P {
        constructor(private readonly x: number = 2, public y?: { z: number }) {}
        @dec get sum(): number { return this.x + (this.y?.z ?? 0); }
      }
      const p = new P(1, { z: 2 });
      const o: { a?: { b: number } } = { a: { b: 1 } };
      const result = [N.inc(), N.inc(), p.sum, o.a!.b, (o.a as { b: number }).b, <number>o.a?.b, o satisfies object];
    `);
    expect(records).toEqual(expect.arrayContaining(['r ?.x', 'x']));
  });

  it('keeps generics, overloads and abstract members parseable', () => {
    const source = [
      'abstract class A<T> { abstract m(): T; n(x: T): T; n(x: T) { return f<T>(x)!; } }',
      'function g(a: string): string;',
      'function g(a: unknown) { return a as string; }',
    ].join('\n');
    const output = track(source, 'm.ts');
    expect(parseSync('m.ts', output).errors).toEqual([]);
    expect(() => transformSync(output, { loader: 'ts' })).not.toThrow();
  });
});

describe('tracking mode on generated programs (property)', () => {
  const { expression } = fc.letrec<{ expression: string }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('o', 'o.a', 'o.b', 'o.g', 'o.n', 'o.b.d', 'arr', 'f', 's', 'k', '1', "'s'", 'null', 'undefined'),
      tie('expression').map((e) => `(${e}).c`),
      tie('expression').map((e) => `(${e})?.c`),
      tie('expression').map((e) => `(${e})?.[0]`),
      tie('expression').map((e) => `(${e})[k]`),
      tie('expression').map((e) => `(${e})?.m?.(s)`),
      tie('expression').map((e) => `o.m(${e})`),
      tie('expression').map((e) => `o?.m?.(${e})`),
      tie('expression').map((e) => `f(${e})`),
      tie('expression').map((e) => `[...arr, ${e}]`),
      tie('expression').map((e) => `({ ...o.b, v: ${e} })`),
      tie('expression').map((e) => `\`t\${${e}}\``),
      tie('expression').map((e) => `typeof (${e})`),
      tie('expression').map((e) => `-(${e})`),
      tie('expression').map((e) => `(s += 1, ${e})`),
      tie('expression').map((e) => `(o.a++, ${e})`),
      tie('expression').map((e) => `((p) => p)(${e})`),
      tie('expression').map((e) => `(() => { const { c = ${e} } = o.b; return c; })()`),
      tie('expression').map((e) => `(({ a }, [x] = arr) => [a, x])(o, ${e})`),
      fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `(${a}) + (${b})`),
      fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `(${a}) ?? (${b})`),
      fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `[${a}, ${b}]`),
      fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `(${a}) == (${b})`),
      fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `([s, o.a] = [${a}, ${b}])`),
      tie('expression').map((e) => `(${e})?.b.c`),
      tie('expression').map((e) => `(${e})?.[k]?.()`),
      tie('expression').map((e) => `f(...[${e}])`),
      tie('expression').map((e) => `({ [${e}]: 1 })`),
      tie('expression').map((e) => `[${e}].map((x) => x)`),
      tie('expression').map((e) => `String.raw\`\${${e}}\``),
      tie('expression').map((e) => `(${e}) in o`),
      tie('expression').map((e) => `new Array(${e})`),
      tie('expression').map((e) => `(({ c, ...rest }) => [c, rest])((${e}) ?? {})`),
      tie('expression').map((e) => `((x, { a } = o) => [x, a])(${e})`),
    ),
  }));
  // The objects the expressions use; `watch` names a function they go through first (or none).
  const prelude = (watch = ''): string => `
    const log = [];
    let count = 0;
    const o = ${watch}({ a: 1, b: { c: 'x', d: [1, 2] }, get g() { count++; log.push('g'); return this.b; }, m(v) { log.push('m'); return [this === o, v]; }, n: null });
    const arr = ${watch}([1, 'two', { c: 3 }]);
    const f = (v) => { log.push('f'); return v; };
    f.toString = () => 'f'; // instrumented, its source text changes
    let s = 1;
    const k = 'a';
  `;

  it('reports every property access they make', async () => {
    await fc.assert(
      fc.asyncProperty(expression, async (e) => {
        const program = `${prelude('watched')}\n let result; try { result = [${e}]; } catch { result = 'threw'; }`;
        expect(await unreportedAccesses(program), track(program)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('computes the same values, with the same getter runs and calls, instrumented or not', async () => {
    await fc.assert(
      fc.asyncProperty(expression, async (e) => {
        await sameResult(`${prelude()}
          let result;
          try { result = [${e}, count, log, s, o.a]; } catch (error) { result = ['throw', error.constructor.name, count, log, s]; }
        `);
      }),
      { numRuns: 200 },
    );
  });
});

describe('tracking mode on generated async programs (property)', () => {
  const operand = fc.constantFrom('1', 's', 'o.a', 'o.c.d', "'x'", 'o.b.length');
  const statement = fc.oneof(
    operand.map((e) => `s += await g(${e});`),
    operand.map((e) => `o.a = await g(${e});`),
    operand.map((e) => `o.b.push(await g(${e}));`),
    operand.map((e) => `s = o.a + await g(${e});`),
    operand.map((e) => `[s, o.a] = [await g(${e}), s];`),
    operand.map((e) => `if (await g(${e})) { s++; } else { s--; }`),
    fc.constant("o[await g('a')] += 1;"),
    fc.constant('const { a, b: [first] = [] } = await g(o); log.push(a, first);'),
    fc.constant('for (const x of o.b) { if (x > 5) break; await g(x); s += 1; }'),
    fc.constant('for (const k in o.c) { log.push(k); await null; }'),
    fc.constant('for await (const v of [g(1), 2]) s += v;'),
    fc.constant('try { await g(o.n.x); } catch ({ constructor }) { log.push(constructor.name); }'),
    fc.constant('s += o.b.reduce((x, y) => x + y, 0);'),
    operand.map((e) => `o.c = { ...o.c, f: await g(${e}) };`),
    fc.constant('const [p, ...rest] = o.b; log.push(p, rest.length);'),
    fc.constant("delete o.c.e; log.push('d' in o.c, o.b instanceof Array, `${o.a}`);"),
    operand.map((e) => `o.b[await g(0)] = ${e};`),
    fc.constant('({ a: o.a, c: o.c } = await g({ a: 5, c: o.c }));'),
    fc.constant('for (let i = 0; i < o.b.length && i < 3; i++) { await g(o.b[i]); }'),
    fc.constant('const { d = await g(o.a) } = o.c; log.push(d);'),
  );
  const task = fc.array(statement, { minLength: 1, maxLength: 5 });

  it('reports every property access in the step that makes it', async () => {
    await fc.assert(
      fc.asyncProperty(task, async (statements) => {
        const source = `
          const o = watched({ a: 1, b: [1, 2], c: { d: 3, e: 4 }, n: null });
          let s = 0;
          const log = [];
          const g = async (v) => { log.push(v); return v; };
          async function one() { ${statements.map((each) => `{ ${each} }`).join(' ')} }
          await one();
        `;
        expect(await unreportedAccesses(source), track(source)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('interleaves two tasks exactly as before', async () => {
    await fc.assert(
      fc.asyncProperty(task, task, async (first, second) => {
        await sameResult(`
          const o = { a: 1, b: [1, 2], c: { d: 3, e: 4 }, n: null };
          let s = 0;
          const log = [];
          const g = async (v) => { log.push(v); return v; };
          async function one() { ${first.map((each) => `{ ${each} }`).join(' ')} }
          async function two() { ${second.map((each) => `{ ${each} }`).join(' ')} }
          const result = Promise.all([one(), two()]).then(() => [s, o, log]);
        `);
      }),
      { numRuns: 100 },
    );
  });
});

describe('tracking mode on the syntax zoo', () => {
  const files = ['zoo.ts', 'helper.ts', 'view.tsx'];

  for (const file of files) {
    it(`${file}: the output parses, transpiles and keeps its line count`, () => {
      const path = join(ZOO_DIR, file);
      const source = readFileSync(path, 'utf8');
      const result = instrumentSource(source, path, file, { track: true });
      const code = result?.code ?? '';
      expect(parseSync(path, code).errors).toEqual([]);
      expect(() => transformSync(code, { loader: file.endsWith('x') ? 'tsx' : 'ts', format: 'esm' })).not.toThrow();
      expect(linesOf(withoutSourceMap(code))).toHaveLength(linesOf(source).length + (source.endsWith('\n') ? 0 : 1));
      expect(result?.trackedAccesses).toBeGreaterThan(0);
      // Off, the output is the gates' alone.
      expect(instrumentSource(source, path, file, { track: false })).toEqual(instrumentSource(source, path, file));
    });
  }

  it('prints the same when it runs instrumented (bundled by esbuild, with an identity runtime)', async () => {
    const bundle = async (tracking: boolean): Promise<string> => {
      const output = await build({
        entryPoints: [join(ZOO_DIR, 'zoo.ts')],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        plugins: [
          {
            name: 'track',
            setup(builder) {
              builder.onLoad({ filter: /syntax-zoo/ }, (args) => {
                const source = readFileSync(args.path, 'utf8');
                const contents = tracking ? (instrumentSource(source, args.path, args.path, { track: true })?.code ?? source) : source;
                return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
              });
            },
          },
        ],
      });
      return `${IDENTITY_RUNTIME}\n${output.outputFiles[0]?.text ?? ''}`;
    };
    const run = (code: string): string => runNode(['--input-type=module', '-e', code]);
    const tracked = await bundle(true);
    expect(tracked).toContain('__rh$cm(');
    expect(run(tracked)).toBe(run(await bundle(false)));
  });
});
