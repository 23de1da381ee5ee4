import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { transformSync } from 'esbuild';
import MagicString from 'magic-string';
import { afterAll, describe, expect, it } from 'vitest';
import { installCommonJsHook, instrumentCommonJs } from '../../src/instrument/commonjs-hook.js';
import type { InstrumentPolicy } from '../../src/instrument/instrument-policy.js';
import { RUNTIME_GLOBALS } from '../../src/instrument/runtime-names.js';
import { suspensionFacts } from './ast-facts.js';

const CWD = '/work/app';
const POLICY: InstrumentPolicy = { include: [], excludeRoots: ['/work/race-hunt'] };

// TypeScript as a user writes it, and a stand-in for tsx's output: the types erased and the lines
// joined (as tsx's CommonJS output is), with a real inline source map back to the TypeScript.
const TYPESCRIPT = [
  'export async function credit(account: { n: number }, by: number): Promise<void> {',
  '  const before: number = account.n;',
  '  await Promise.resolve(by);',
  '  account.n = before + by;',
  '}',
  '',
].join('\n');

function transpiled(source = '/work/app/src/credit.ts'): string {
  const edits = new MagicString(TYPESCRIPT);
  let from = 0;
  for (const type of [': { n: number }', ': number', ': Promise<void>', ': number']) {
    const at = TYPESCRIPT.indexOf(type, from);
    edits.remove(at, at + type.length);
    from = at + type.length;
  }
  edits.remove(0, 'export '.length);
  edits.prepend('"use strict";');
  for (let at = TYPESCRIPT.indexOf('\n'); at >= 0 && at < TYPESCRIPT.length - 1; at = TYPESCRIPT.indexOf('\n', at + 1)) {
    edits.overwrite(at, at + 1, ' ');
  }
  edits.append('exports.credit = credit;\n');
  const map = edits.generateMap({ hires: true, source, includeContent: true });
  return `${edits.toString()}//# sourceMappingURL=${map.toUrl()}\n`;
}

describe('instrumentCommonJs', () => {
  it('labels the awaits of transpiled code with their place in the TypeScript', () => {
    const code = transpiled();
    expect(code.split('\n')[0]).toMatch(/const before = .* await Promise\.resolve\(by\); +account\.n = /); // all on line 1
    const out = instrumentCommonJs(code, '/work/app/src/credit.ts', POLICY, CWD);
    expect(out).toBeDefined();
    expect(suspensionFacts(out!, 'credit.cjs').locs).toEqual(['src/credit.ts:3:3']);
  });

  it('names the original file the map names, resolved against the compiled file (a build’s dist/ output)', () => {
    const out = instrumentCommonJs(transpiled('../src/credit.ts'), '/work/app/dist/credit.js', POLICY, CWD);
    expect(suspensionFacts(out!, 'credit.cjs').locs).toEqual(['src/credit.ts:3:3']);
  });

  it('chains its source map through the transpiler’s, so stack traces reach the TypeScript', () => {
    const out = instrumentCommonJs(transpiled(), '/work/app/src/credit.ts', POLICY, CWD)!;
    const maps = [...out.matchAll(/sourceMappingURL=data:application\/json;charset=utf-8;base64,([A-Za-z0-9+/=]+)/g)];
    expect(maps).toHaveLength(1); // the transpiler's comment is replaced, not left beside ours
    const map = new TraceMap(JSON.parse(Buffer.from(maps[0]![1]!, 'base64').toString('utf8')) as ConstructorParameters<typeof TraceMap>[0]);
    const assignment = out.indexOf('account.n = before');
    expect(originalPositionFor(map, { line: 1, column: assignment })).toMatchObject({ source: '/work/app/src/credit.ts', line: 4, column: 2 });
    const promise = out.indexOf('Promise.resolve');
    expect(originalPositionFor(map, { line: 1, column: promise })).toMatchObject({ line: 3, column: 8 });
  });

  it('instruments plain CommonJS JavaScript at its own positions, as a script', () => {
    const code = 'const await_ = 1;\nexports.f = async function f(x) {\n  return await x;\n};\n';
    expect(suspensionFacts(instrumentCommonJs(code, '/work/app/lib/f.js', POLICY, CWD)!, 'f.cjs').locs).toEqual(['lib/f.js:3:10']);
  });

  it('leaves alone dependencies, race-hunt itself, code without awaits and code instrumented already', () => {
    const code = 'exports.f = async (x) => await x;\n';
    expect(instrumentCommonJs(code, '/work/app/node_modules/dep/index.js', POLICY, CWD)).toBeUndefined();
    expect(instrumentCommonJs(code, '/work/race-hunt/dist/x.js', POLICY, CWD)).toBeUndefined();
    expect(instrumentCommonJs('exports.f = 1;\n', '/work/app/a.js', POLICY, CWD)).toBeUndefined();
    const once = instrumentCommonJs(code, '/work/app/a.js', POLICY, CWD)!;
    expect(once).toContain(RUNTIME_GLOBALS.await);
    expect(instrumentCommonJs(once, '/work/app/a.js', POLICY, CWD)).toBeUndefined();
    // Code whose only gates are of promise calls was instrumented too.
    const gatedThen = instrumentCommonJs('exports.f = (p) => p.then(g);\n', '/work/app/b.js', POLICY, CWD)!;
    expect(gatedThen).toContain(RUNTIME_GLOBALS.then);
    expect(instrumentCommonJs(gatedThen, '/work/app/b.js', POLICY, CWD)).toBeUndefined();
  });

  it('gates the promise calls and await using of the TypeScript in tsx\u2019s output, and none of esbuild\u2019s helpers', () => {
    const typescript = [
      'export async function f(p: Promise<number>, r: AsyncDisposable): Promise<number> {',
      '  {',
      '    await using held = r;',
      '  }',
      '  return p.then((v: number) => v + 1);',
      '}',
      '',
    ].join('\n');
    const code = transformSync(typescript, { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline', sourcefile: '/work/app/src/f.ts' }).code;
    expect(code).toContain('Promise.resolve(result).then(next'); // esbuild's disposal helper
    const out = instrumentCommonJs(code, '/work/app/src/f.ts', POLICY, CWD)!;
    // The disposal, lowered by esbuild to an `await`, and the user's `.then` callback; not the helper's `.then`.
    expect(suspensionFacts(out, 'f.cjs').locs).toEqual(['src/f.ts:3:5', 'src/f.ts:5:17']);
  });
});

describe('installCommonJsHook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rh-cjs-hook-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('instruments what require() compiles in the user’s tree, and only that', () => {
    installCommonJsHook({ include: [], excludeRoots: [] }, dir);
    writeFileSync(join(dir, 'mine.js'), 'exports.f = async function f(x) {\n  return await x;\n};\n');
    const require = createRequire(join(dir, 'index.js'));
    const mine = require('./mine.js') as { f: (x: unknown) => Promise<unknown> };
    expect(mine.f.toString()).toContain(`await ${RUNTIME_GLOBALS.await}(x, "mine.js:2:10")`);
    // A dependency's CommonJS (commander here) compiles untouched.
    const commander = require(require.resolve('commander', { paths: [process.cwd()] })) as { Command: { toString(): string } };
    expect(String(commander.Command)).not.toContain(RUNTIME_GLOBALS.await);
  });
});
