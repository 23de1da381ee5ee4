import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import { RUNTIME_GLOBALS } from '../../src/instrument/runtime-names.js';
import { instrumentSource } from '../../src/instrument/transform.js';
import { isSubsequence, linesOf, suspensionFacts, withFinalLineBreak, withoutSourceMap } from './ast-facts.js';

const ZOO_DIR = join(import.meta.dirname, '..', 'fixtures', 'syntax-zoo');
const ZOO_FILES = ['zoo.ts', 'helper.ts', 'view.tsx'] as const;

const { await: AWAIT, forAwait: FOR_AWAIT, import: IMPORT, then: THEN, yieldStar: YIELD_STAR, awaitUsing: USING } = RUNTIME_GLOBALS;

/** Instruments `source` as `file` (shown as `file` in LOCs) and returns the code without its source map. */
function rewrite(source: string, file = 'm.ts'): string | undefined {
  const result = instrumentSource(source, `/project/${file}`, file);
  return result === undefined ? undefined : withoutSourceMap(result.code).replace(/\n$/, '');
}

/** The checks every instrumentation must pass, whatever the input. */
function expectSoundInstrumentation(source: string, filePath: string): void {
  const result = instrumentSource(source, filePath, 'shown.ts');
  const before = suspensionFacts(source, filePath);
  expect(before.parseErrors).toEqual([]);
  const gatedPoints = before.awaits + before.forAwaits + before.asyncYields + before.asyncDelegations + before.promiseCallbacks + before.awaitUsings;
  if (result === undefined) {
    expect(gatedPoints + before.imports).toBe(0);
    return;
  }
  const after = suspensionFacts(result.code, filePath);
  expect(after.parseErrors).toEqual([]);
  // Every suspension point gets exactly one gate; yields of async generators gain one await each.
  expect(after.awaits).toBe(before.awaits + before.asyncYields);
  expect(after.gatedAwaits).toBe(after.awaits);
  expect(after.forAwaits).toBe(before.forAwaits);
  expect(after.gatedForAwaits).toBe(after.forAwaits);
  expect(after.yieldsOfAwait).toBe(after.asyncYields);
  expect(after.imports).toBe(before.imports);
  expect(after.wrappedImports).toBe(after.imports);
  expect(after.asyncDelegations).toBe(before.asyncDelegations);
  expect(after.gatedDelegations).toBe(after.asyncDelegations);
  expect(after.promiseCallbacks).toBe(0);
  expect(after.gatedPromiseCallbacks).toBe(before.promiseCallbacks);
  expect(after.awaitUsings).toBe(before.awaitUsings);
  expect(after.gatedAwaitUsings).toBe(after.awaitUsings);
  expect(result.awaitPoints).toBe(gatedPoints);
  expect(after.locs).toHaveLength(gatedPoints);
  // Insert-only: same lines, each original line still present (as a subsequence) on the same line.
  const originalLines = linesOf(withFinalLineBreak(source));
  const outputLines = linesOf(withoutSourceMap(result.code));
  expect(outputLines).toHaveLength(originalLines.length);
  originalLines.forEach((line, index) => {
    expect(isSubsequence(line, outputLines[index] ?? ''), `line ${index + 1}`).toBe(true);
  });
}

describe('instrumentSource rewrites', () => {
  it('wraps the argument of an await, keeping sequences parenthesised', () => {
    expect(rewrite('await x;')).toBe(`await ${AWAIT}(x, "m.ts:1:1");`);
    expect(rewrite('await x')).toBe(`await ${AWAIT}(x, "m.ts:1:1")`);
    expect(rewrite('await[x]')).toBe(`await ${AWAIT}([x], "m.ts:1:1")`);
    expect(rewrite('await(a, b);')).toBe(`await ${AWAIT}((a, b), "m.ts:1:1");`);
    expect(rewrite('await\n  x;')).toBe(`await\n  ${AWAIT}(x, "m.ts:1:1");`);
    expect(rewrite('async function f() { return await await x }')).toBe(
      `async function f() { return await ${AWAIT}(await ${AWAIT}(x, "m.ts:1:35"), "m.ts:1:29") }`,
    );
  });

  it('wraps the iterable of for await, separating it from a preceding keyword in compact code', () => {
    expect(rewrite('for await (const x of xs) {}')).toBe(`for await (const x of ${FOR_AWAIT}(xs, "m.ts:1:1")) {}`);
    expect(rewrite('for await(const x of[a,b]){}')).toBe(`for await(const x of ${FOR_AWAIT}([a,b], "m.ts:1:1")){}`);
    expect(rewrite('for (const x of xs) {}')).toBeUndefined();
  });

  it('awaits what async generators yield and gates their yield*, but leaves synchronous generators alone', () => {
    const source = [
      'async function* g() {',
      '  yield;',
      '  yield(1);',
      '  yield* h();',
      '  yield yield;',
      '  function* s() { yield 2 }',
      '  const a = async () => 3;',
      '}',
    ].join('\n');
    expect(rewrite(source)).toBe(
      [
        'async function* g() {',
        `  yield await ${AWAIT}(void 0, "m.ts:2:3");`,
        `  yield await ${AWAIT}((1), "m.ts:3:3");`,
        `  yield* ${YIELD_STAR}(h(), "m.ts:4:3");`,
        `  yield await ${AWAIT}(yield await ${AWAIT}(void 0, "m.ts:5:9"), "m.ts:5:3");`,
        '  function* s() { yield 2 }',
        `  const a = ${RUNTIME_GLOBALS.own}(async () => 3, "a");`,
        '}',
      ].join('\n'),
    );
    expect(rewrite('function* g() { yield 1; yield* [2]; }')).toBeUndefined();
  });

  it('handles async generator methods of classes and object literals', () => {
    expect(rewrite('class A { async *m() { yield 1 } static async *#p() { yield 2 } }')).toBe(
      `class A { async *m() { yield await ${AWAIT}(1, "m.ts:1:24") } static async *#p() { yield await ${AWAIT}(2, "m.ts:1:55") } }`,
    );
    expect(rewrite('const o = { async *[k]() { yield 1 }, *s() { yield 2 } };')).toBe(
      `const o = { async *[k]() { yield await ${AWAIT}(1, "m.ts:1:28") }, *s() { yield 2 } };`,
    );
  });

  it('wraps dynamic imports (without a LOC) and composes with await', () => {
    expect(rewrite("const m = await import('./x.js');")).toBe(
      `const m = await ${AWAIT}(${IMPORT}(import('./x.js')), "m.ts:1:11");`,
    );
    expect(rewrite("import('x')")).toBe(`${IMPORT}(import('x'))`);
    const onlyImport = instrumentSource("export const load = () => import('./x.js');", '/p/m.ts', 'm.ts');
    expect(onlyImport?.awaitPoints).toBe(0);
    expect(onlyImport?.code).toContain(`${IMPORT}(import('./x.js'))`);
    expect(rewrite("import.meta.url; import x from 'y';")).toBeUndefined();
    expect(rewrite("const m = import /* why not */ ('./x.js');")).toBe(`const m = ${IMPORT}(import /* why not */ ('./x.js'));`);
    // Type positions are not code: `typeof import(…)` and `import x = require(…)` stay as they are.
    expect(rewrite("import fs = require('fs');\ntype M = typeof import('./x.js');\nexport const m: M = await import('./x.js');")).toBe(
      `import fs = require('fs');\ntype M = typeof import('./x.js');\nexport const m: M = await ${AWAIT}(${IMPORT}(import('./x.js')), "m.ts:3:21");`,
    );
  });

  it('wraps the initialisers of await using declarations, labelled with their await, and gates the awaits in them', () => {
    expect(rewrite('{ await using r = await open(); }')).toBe(`{ await using r = ${USING}(await ${AWAIT}(open(), "m.ts:1:19"), "m.ts:1:3"); }`);
    expect(rewrite('async function f() {\n  await using a = x, b = y.z;\n}')).toBe(
      `async function f() {\n  await using a = ${USING}(x, "m.ts:2:3"), b = ${USING}(y.z, "m.ts:2:3");\n}`,
    );
    // Nothing to wrap in a for…of head; synchronous `using` does not suspend; an anonymous class keeps its name.
    expect(rewrite('for (await using r of rs) {}')).toBeUndefined();
    expect(rewrite('{ using r = open(); await x; }')).toBe(`{ using r = open(); await ${AWAIT}(x, "m.ts:1:21"); }`);
    expect(rewrite('{ await using C = class { static async [Symbol.asyncDispose]() {} }; }')).toBeUndefined();
  });

  it('rewrites promise calls around their receiver, keeping the call and every line as written', () => {
    expect(rewrite('p.then(f);')).toBe(`${THEN}(p, "then", "m.ts:1:8").then(f);`);
    expect(rewrite('load()\n  .then((v) => v + 1, (e) => 0)\n  .catch(g)\n  .finally(() => h());')).toBe(
      [
        `${THEN}(${THEN}(${THEN}(load(), "then", "m.ts:2:9", "m.ts:2:23")`,
        `  .then((v) => v + 1, (e) => 0), "catch", "m.ts:3:10")`,
        `  .catch(g), "finally", "m.ts:4:12")`,
        '  .finally(() => h());',
      ].join('\n'),
    );
    // Optional links of the call itself, a literal computed key, parentheses, `!`, type arguments, spread.
    expect(rewrite('a?.then(f); a.then?.(f); a["catch"](g); (a.then)(f); a.then!(f); a.then<number>(f); a.then(...fs);')).toBe(
      [
        `${THEN}(a, "then", "m.ts:1:9")?.then(f);`,
        ` ${THEN}(a, "then", "m.ts:1:22").then?.(f);`,
        ` ${THEN}(a, "catch", "m.ts:1:37")["catch"](g);`,
        ` (${THEN}(a, "then", "m.ts:1:50").then)(f);`,
        ` ${THEN}(a, "then", "m.ts:1:62").then!(f);`,
        ` ${THEN}(a, "then", "m.ts:1:81").then<number>(f);`,
        ` ${THEN}(a, "then", "m.ts:1:87").then(...fs);`,
      ].join(''),
    );
    // Composes with the other gates, and keeps a keyword apart from the inserted name.
    expect(rewrite("async function f() { return (await x).catch(g) }")).toBe(
      `async function f() { return ${THEN}((await ${AWAIT}(x, "m.ts:1:30")), "catch", "m.ts:1:45").catch(g) }`,
    );
    expect(rewrite("void import('x').then(f)")).toBe(`void ${THEN}(${IMPORT}(import('x')), "then", "m.ts:1:23").then(f)`);
  });

  it('leaves promise calls alone that it cannot rewrite safely', () => {
    // No callback; a computed key; super; an optional link inside the receiver, in the same chain.
    expect(rewrite('p.then(); p[k](f); p.thenable(f);')).toBeUndefined();
    expect(rewrite('class A extends B { m() { return super.then(f); } }')).toBeUndefined();
    expect(rewrite('a?.b.then(f); a?.then(f).catch(g);')).toBe(`a?.b.then(f); ${THEN}(a, "then", "m.ts:1:23")?.then(f).catch(g);`);
    // Parentheses end the chain: there `.then` of undefined throws, as written.
    expect(rewrite('(a?.b).then(f);')).toBe(`${THEN}((a?.b), "then", "m.ts:1:13").then(f);`);
  });

  it('binds the async arrows and function expressions a function makes to their task, and nothing else', () => {
    const OWN = RUNTIME_GLOBALS.own;
    // Made as the module loads (outside every task): left alone, and no rewrite at all.
    expect(rewrite('export const f = async () => 1; const g = async function named() {};')).toBeUndefined();
    expect(rewrite('function f(lock) { return lock.acquire(async () => 1); }')).toBe(`function f(lock) { return lock.acquire(${OWN}(async () => 1)); }`);
    expect(rewrite('const f = () => [async function named(x: number) { return x; }, async <T,>(t: T) => t];')).toBe(
      `const f = () => [${OWN}(async function named(x: number) { return x; }), ${OWN}(async <T,>(t: T) => t)];`,
    );
    // Methods, getters, declarations, generators and sync functions are left alone; an instance
    // field's value is made per construction (in a task, maybe), a static one as the class loads.
    expect(rewrite('function f() { const o = { async m() {}, get g() { return 1; }, p: async () => 2 }; async function d() {} const s = () => 3; const gen = async function* () {}; }')).toBe(
      `function f() { const o = { async m() {}, get g() { return 1; }, p: ${OWN}(async () => 2, "p") }; async function d() {} const s = () => 3; const gen = async function* () {}; }`,
    );
    expect(rewrite('class K { handler = async () => 1; static s = async () => 2; async m() { return async () => 3; } }')).toBe(
      `class K { handler = ${OWN}(async () => 1, "handler"); static s = async () => 2; async m() { return ${OWN}(async () => 3); } }`,
    );
    // The name its binding gives an anonymous function is handed on (the wrapping call would hide it).
    expect(rewrite('function f() { let a; a = (async () => 1); const { b = async function () {} } = o; const n = async function named() {}; }')).toBe(
      `function f() { let a; a = (${OWN}(async () => 1, "a")); const { b = ${OWN}(async function () {}, "b") } = o; const n = ${OWN}(async function named() {}); }`,
    );
  });

  it('rewrites TypeScript-only and JSX forms', () => {
    expect(rewrite('const f = async <T,>(p: Promise<T>) => (await p) satisfies T;')).toBe(
      `const f = async <T,>(p: Promise<T>) => (await ${AWAIT}(p, "m.ts:1:41")) satisfies T;`,
    );
    expect(rewrite('const n = <number>await p!;')).toBe(`const n = <number>await ${AWAIT}(p!, "m.ts:1:19");`);
    expect(rewrite('const v = await a?.b?.();')).toBe(`const v = await ${AWAIT}(a?.b?.(), "m.ts:1:11");`);
    expect(rewrite('const e = <div>{await x}</div>;', 'v.tsx')).toBe(`const e = <div>{await ${AWAIT}(x, "v.tsx:1:17")}</div>;`);
    expect(rewrite('const e = <div>{await x}</div>;', 'v.jsx')).toBe(`const e = <div>{await ${AWAIT}(x, "v.jsx:1:17")}</div>;`);
  });
});

describe('instrumentSource locations', () => {
  it('reports 1-based lines and UTF-16 columns, also after non-ASCII text', () => {
    // "é" is one UTF-16 unit, the emoji two: columns are counted as V8 stack traces count them.
    const source = 'const s = "é😀"; await x;\nconst t = `é`;   await y;';
    expect(rewrite(source)).toBe(
      `const s = "é😀"; await ${AWAIT}(x, "m.ts:1:18");\nconst t = \`é\`;   await ${AWAIT}(y, "m.ts:2:18");`,
    );
    const offset = source.indexOf('await x');
    expect(source.slice(offset, offset + 5)).toBe('await');
  });

  it('counts lines ended by \\r\\n and by a lone \\r', () => {
    expect(rewrite('a;\r\nawait x;\rawait y;')).toBe(`a;\r\nawait ${AWAIT}(x, "m.ts:2:1");\rawait ${AWAIT}(y, "m.ts:3:1");`);
  });

  it('escapes the display path inside the LOC string literal', () => {
    const result = instrumentSource('await x;', '/p/m.ts', 'we"ird\\dir/m.ts');
    expect(result?.code).toContain(`${AWAIT}(x, "we\\"ird\\\\dir/m.ts:1:1")`);
    expect(suspensionFacts(result?.code ?? '', 'm.ts').locs).toEqual(['we"ird\\dir/m.ts:1:1']);
  });
});

describe('instrumentSource passes through', () => {
  it('text without await, yield or import(', () => {
    expect(instrumentSource('export const x = 1;', '/p/m.ts', 'm.ts')).toBeUndefined();
  });

  it('a file with a syntax error, so tsx can report it', () => {
    expect(instrumentSource('async function f() { await g(); const = 1; }', '/p/m.ts', 'm.ts')).toBeUndefined();
    expect(instrumentSource('await (', '/p/m.mjs', 'm.mjs')).toBeUndefined();
  });

  it('top-level await in CommonJS (parsed as a script, where it is a syntax error)', () => {
    expect(instrumentSource('await x;', '/p/m.cjs', 'm.cjs')).toBeUndefined();
    expect(instrumentSource('await x;', '/p/m.cts', 'm.cts')).toBeUndefined();
    expect(instrumentSource('async function f() { await x }', '/p/m.cjs', 'm.cjs')?.awaitPoints).toBe(1);
  });

  it('files whose extension is not JavaScript or TypeScript', () => {
    expect(instrumentSource('await x;', '/p/m.json', 'm.json')).toBeUndefined();
    expect(instrumentSource('await x;', '/p/m.d.css', 'm.d.css')).toBeUndefined();
  });

  it('code that mentions await only in names, strings or comments (e.g. downlevelled __awaiter helpers)', () => {
    expect(instrumentSource('var __awaiter = 1; // await\nconst s = "yield";', '/p/m.js', 'm.js')).toBeUndefined();
  });
});

describe('instrumentSource output', () => {
  it('keeps a shebang line untouched', () => {
    const result = instrumentSource('#!/usr/bin/env node\nawait x;\n', '/p/bin.mjs', 'bin.mjs');
    expect(result?.code.startsWith(`#!/usr/bin/env node\nawait ${AWAIT}(x, "bin.mjs:2:1");\n//# sourceMappingURL=`)).toBe(true);
  });

  it('ends with an inline source map naming the file by its basename, with its original content', () => {
    const source = 'const s = "é";\nasync function f() { const v = await g(await h(), 1); return v; }\n';
    const result = instrumentSource(source, '/project/src/deep/file.ts', 'src/deep/file.ts');
    const match = /\n\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,([A-Za-z0-9+/=]+)\n$/.exec(result?.code ?? '');
    expect(match).not.toBeNull();
    const payload = JSON.parse(Buffer.from(match?.[1] ?? '', 'base64').toString('utf8')) as {
      sources: string[];
      sourcesContent: string[];
    };
    expect(payload.sources).toEqual(['file.ts']);
    expect(payload.sourcesContent).toEqual([source]);
  });

  it('maps every original identifier of an edited line back to its original column', () => {
    const source = 'const s = "é😀"; async function f() { const value = await g(await h(), (a, b)); for await (const x of[y]) use(x); }\n';
    const result = instrumentSource(source, '/p/m.ts', 'm.ts');
    const code = result?.code ?? '';
    const base64 = code.slice(code.lastIndexOf('base64,') + 'base64,'.length).trim();
    const map = new SourceMap(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')));
    const checked: string[] = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (typeof value !== 'object' || value === null) return;
      const node = value as { type?: unknown; name?: unknown; start?: number };
      if (node.type === 'Identifier' && typeof node.name === 'string' && !node.name.startsWith('__rh$')) {
        const start = node.start ?? 0;
        const entry = map.findEntry(0, start) as { originalLine?: number; originalColumn?: number };
        expect(entry.originalLine).toBe(0);
        expect(source.slice(entry.originalColumn ?? -1).startsWith(node.name)).toBe(true);
        checked.push(node.name);
      }
      for (const [key, child] of Object.entries(value)) if (key !== 'parent') visit(child);
    };
    visit(parseSync('m.ts', withoutSourceMap(code)).program);
    expect(checked).toEqual(expect.arrayContaining(['s', 'f', 'value', 'g', 'h', 'a', 'b', 'x', 'y', 'use']));
  });
});

describe('the syntax zoo', () => {
  for (const file of ZOO_FILES) {
    it(`${file}: every suspension point is gated, lines are preserved, and the output parses`, () => {
      const filePath = join(ZOO_DIR, file);
      expectSoundInstrumentation(readFileSync(filePath, 'utf8'), filePath);
    });
  }

  it('LOCs point at the await/for/yield keyword, or at a promise call\'s callback, in the original text', () => {
    for (const file of ZOO_FILES) {
      const source = readFileSync(join(ZOO_DIR, file), 'utf8');
      const lines = linesOf(source);
      const callbacks = new Set(suspensionFacts(source, file).promiseCallbackPositions);
      const result = instrumentSource(source, join(ZOO_DIR, file), `zoo/${file}`);
      const locs = suspensionFacts(result?.code ?? '', file).locs;
      expect(locs.length).toBe(result?.awaitPoints);
      for (const loc of locs) {
        const [, path, line, column] = /^(.*):(\d+):(\d+)$/.exec(loc) ?? [];
        expect(path).toBe(`zoo/${file}`);
        if (callbacks.has(`${line}:${column}`)) continue;
        const text = (lines[Number(line) - 1] ?? '').slice(Number(column) - 1);
        expect(text, loc).toMatch(/^(await\b|for\s*await\b|yield\b)/);
      }
    }
  });
});

describe('instrumentSource on generated programs (property)', () => {
  // Expressions that may contain await, import() and nested async arrows (never yield).
  const { expression } = fc.letrec<{ expression: string }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('1', 'x', 'f()', "'s'", 'p', 'a.b', '({ then(r) { r(1) } })'),
      tie('expression').map((e) => `await ${e}`),
      tie('expression').map((e) => `await(${e})`),
      tie('expression').map((e) => `await\n${e}`),
      fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `await(${a},${b})`),
      fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `f(${a}, ${b})`),
      tie('expression').map((e) => `[${e}]`),
      tie('expression').map((e) => `(${e})?.a`),
      tie('expression').map((e) => `\`t\${${e}}\``),
      tie('expression').map((e) => `({ k: ${e} })`),
      tie('expression').map((e) => `import(${e})`),
      tie('expression').map((e) => `(async () => ${e})`),
      tie('expression').map((e) => `(async () => { return ${e}; })()`),
      tie('expression').map((e) => `(${e}).then(f)`),
      fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `p\n.then(${a}, ${b})`),
      tie('expression').map((e) => `(${e})?.catch((e) => e)`),
      tie('expression').map((e) => `p.finally(async () => ${e})`),
      tie('expression').map((e) => `a?.b.then(${e})`),
    ),
  }));
  const statement = fc.oneof(
    expression.map((e) => `v = ${e};`),
    expression.map((e) => `for await (const x of ${e}) {}`),
    expression.map((e) => `for await(const x of[${e}]){}`),
    expression.map((e) => `yield ${e};`),
    expression.map((e) => `yield(${e});`),
    expression.map((e) => `yield* ${e};`),
    fc.constant('yield;'),
    fc.constantFrom('1', 'x', 'f()', '[x, 2]').map((e) => `function* s() { yield ${e}; yield; }`),
    expression.map((e) => `if (${e}) { v = 1; }`),
    expression.map((e) => `{ await using r = ${e}; }`),
  );
  const program = fc.record({
    statements: fc.array(statement, { maxLength: 6 }),
    topLevel: fc.array(expression, { maxLength: 2 }),
    file: fc.constantFrom('gen.ts', 'gen.mjs', 'gen.js'),
  });

  it('gates every suspension point, keeps every line and always parses', () => {
    fc.assert(
      fc.property(program, ({ statements, topLevel, file }) => {
        const source = [
          'let v;',
          'async function* g() {',
          ...statements,
          '}',
          ...topLevel.map((e) => `v = ${e};`),
        ].join('\n');
        expectSoundInstrumentation(source, `/gen/${file}`);
      }),
      { numRuns: 300 },
    );
  });
});
