import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { internalFrames, raceHunt, replayCommandOf, shell, traceLines } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// A TypeScript project without "type": "module" (most of them): Node loads its .ts files as
// CommonJS, through tsx's require hook, past the ES module loader hooks. Their awaits must be
// scheduling points all the same, labelled with their place in the TypeScript.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
  sandbox.write('cjs/package.json', '{ "name": "cjs-project" }\n');
  sandbox.write(
    'cjs/account.ts',
    [
      'export class Account {',
      '  #balance: number = 0;',
      '  get balance(): number { return this.#balance; }',
      '  async credit(amount: number): Promise<void> {',
      '    const before = this.#balance;   await Promise.resolve(amount satisfies number);',
      '    this.#balance = before + amount;',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const bank = (name: string): string =>
    `import { scenario } from 'race-hunt';\nimport { Account } from './account';\n\nexport default scenario('${name}', {\n  setup: () => new Account(),\n  tasks: { alice: (a) => a.credit(1), bob: (a) => a.credit(1) },\n  invariant: (a) => a.balance === 2 || \`balance is \${a.balance}\`,\n});\n`;
  sandbox.write('cjs/bank.scenario.ts', bank('cjs bank'));
  // An ES module scenario importing the CommonJS module: tsx hands Node its source directly.
  sandbox.write('cjs/mixed.scenario.mts', bank('mixed bank'));
  sandbox.write(
    'cjs/boom.ts',
    'export async function boom(n: number): Promise<void> {\n  await Promise.resolve(n);\n  if (n > 0) throw new Error(`boom ${n}`);\n}\n',
  );
  sandbox.write(
    'cjs/boom.scenario.cts',
    "import { scenario } from 'race-hunt';\nimport { boom } from './boom';\n\nexport const throws = scenario('cts boom', { tasks: { a: () => boom(1) } });\n",
  );
  // A dependency in CommonJS, instrumented only when named with --instrument.
  sandbox.write('node_modules/slow-store/package.json', '{ "name": "slow-store", "main": "index.js" }\n');
  sandbox.write(
    'node_modules/slow-store/index.js',
    'exports.bump = async function bump(s) {\n  const v = s.n;\n  await Promise.resolve();\n  s.n = v + 1;\n};\n',
  );
  sandbox.write(
    'cjs/store.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport { bump } from 'slow-store';\n\nexport default scenario('store', {\n  setup: () => ({ n: 0 }),\n  tasks: { a: (s) => bump(s), b: (s) => bump(s) },\n  invariant: (s) => s.n === 2,\n});\n",
  );
  sandbox.write('cjs-errors/package.json', '{ "name": "cjs-errors" }\n');
  sandbox.write(
    'cjs-errors/missing.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport { f } from './nope';\n\nexport default scenario('missing', { tasks: { a: () => f() } });\n",
  );
  sandbox.write('cjs-errors/bad.ts', 'export async function f(): Promise<void> {\n  const = 2;\n  await null;\n}\n');
  sandbox.write(
    'cjs-errors/syntax.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport { f } from './bad';\n\nexport default scenario('syntax', { tasks: { a: () => f() } });\n",
  );
  sandbox.write(
    'cjs-errors/tla.scenario.ts',
    "import { scenario } from 'race-hunt';\n\nconst ready = await Promise.resolve(true);\nexport default scenario('tla', { tasks: { a: () => void ready } });\n",
  );
  sandbox.write('cjs/counter.js', 'exports.increment = async function increment(s) {\n  const v = s.n;\n  await null;\n  s.n = v + 1;\n};\n');
  sandbox.write(
    'cjs/counter.scenario.cjs',
    "const { scenario } = require('race-hunt');\nconst { increment } = require('./counter');\n\nmodule.exports = scenario('plain cjs', {\n  setup: () => ({ n: 0 }),\n  tasks: { a: (s) => increment(s), b: (s) => increment(s) },\n  invariant: (s) => s.n === 2,\n});\n",
  );
});
afterAll(() => sandbox.remove());
const race = (...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, args);

function expectFound(result: Exit, awaitLine: RegExp): string[] {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
  expect(internalFrames(`${result.stdout}\n${result.stderr}`)).toEqual([]);
  const trace = traceLines(result.stdout);
  expect(trace.some((line) => awaitLine.test(line)), trace.join('\n')).toBe(true);
  return trace;
}

describe('race-hunt run: user code in CommonJS', () => {
  it('a .ts scenario in a CommonJS package finds the lost update at the await in the TypeScript, and replays it', async () => {
    const found = await race('run', 'cjs/bank.scenario.ts', '--runs', '200');
    const trace = expectFound(found, /cjs\/account\.ts:5:37 +│ const before = this\.#balance; {3}await Promise\.resolve/);
    expect(found.stdout).toMatch(/balance is 1/);
    const replayed = await shell(sandbox.dir, replayCommandOf(found.stdout));
    expect(replayed.code, replayed.stdout).toBe(1);
    expect(traceLines(replayed.stdout)).toEqual(trace);
  });

  it('an ES module scenario importing a CommonJS module of the user’s: dfs finds the race and never says verified', async () => {
    const result = await race('run', 'cjs/mixed.scenario.mts', '--strategy', 'dfs');
    expectFound(result, /cjs\/account\.ts:5:37/);
    expect(result.stdout).not.toMatch(/verified/);
  });

  it('a .cts scenario: the exception’s stack points into the TypeScript', async () => {
    const result = await race('run', 'cjs/boom.scenario.cts');
    expectFound(result, /cjs\/boom\.ts:2:3 +│ await Promise\.resolve\(n\);/);
    expect(result.stdout).toMatch(/task a failed: boom 1\n\s+at boom \(.*cjs\/boom\.ts:3:20\)/);
  });

  it('a plain CommonJS .cjs scenario requiring a .js module', async () => {
    const result = await race('run', 'cjs/counter.scenario.cjs', '--runs', '200');
    expectFound(result, /cjs\/counter\.js:3:3 +│ await null;/);
  });

  it('a CommonJS dependency is instrumented only when named with --instrument', async () => {
    const [plain, included] = await Promise.all([
      race('run', 'cjs/store.scenario.ts', '--runs', '200', '--strategy', 'dfs'),
      race('run', 'cjs/store.scenario.ts', '--runs', '200', '--instrument', 'slow-store'),
    ]);
    // Uninstrumented, the library's await is no scheduling point: no schedule loses the update,
    // and the verdict says which awaits it did not cover.
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).toMatch(/verified by dfs.* — but 2 awaits in node_modules\/slow-store ran without race-hunt's control\n/);
    expect(plain.stdout).toContain("2 awaits in node_modules/slow-store ran without race-hunt's control; add `--instrument slow-store` to explore them.");
    expectFound(included, /node_modules\/slow-store\/index\.js:3:3 +│ await Promise\.resolve\(\);/);
  });

  it('a missing module, a syntax error or top-level await in CommonJS: exit 2, naming the files, no internal frames', async () => {
    const [missing, syntax, tla] = await Promise.all([
      race('run', 'cjs-errors/missing.scenario.ts'),
      race('run', 'cjs-errors/syntax.scenario.ts'),
      race('run', 'cjs-errors/tla.scenario.ts'),
    ]);
    for (const result of [missing, syntax, tla]) {
      expect(result.code, result.stdout).toBe(2);
      expect(internalFrames(`${result.stdout}\n${result.stderr}`)).toEqual([]);
    }
    expect(missing.stdout).toMatch(/Cannot find module '\.\/nope' \(required from cjs-errors\/missing\.scenario\.ts\)\. Check the import path/);
    expect(syntax.stdout).toMatch(/syntax error at cjs-errors\/bad\.ts:2:8: /);
    expect(tla.stdout).toMatch(/cjs-errors\/tla\.scenario\.ts:3:\d+ uses top-level await, but it is loaded as CommonJS .*"type": "module"/);
  });

  it('a directory run finds the .cts and .cjs scenarios beside the .ts and .mts ones', async () => {
    const result = await race('run', 'cjs', '--json', '--runs', '200');
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { scenarios: { file: string; status: string }[] };
    expect(report.scenarios.map((s) => [s.file, s.status])).toEqual([
      ['cjs/bank.scenario.ts', 'fail'],
      ['cjs/boom.scenario.cts', 'fail'],
      ['cjs/counter.scenario.cjs', 'fail'],
      ['cjs/mixed.scenario.mts', 'fail'],
      ['cjs/store.scenario.ts', 'pass'],
    ]);
  });
});
