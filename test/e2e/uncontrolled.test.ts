import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { raceHunt, traceLines } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// What ran outside race-hunt's control is said, never passed over: awaits in packages that were
// not instrumented, awaits in the user's files that could not be, and real I/O. A verification
// says what it does not cover, and is no verification while the user's own code ran natively.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
  // An aliased install (`"kv-alias": "npm:tiny-kv@1"`): the folder and the package.json name differ.
  sandbox.write('node_modules/kv-alias/package.json', '{ "name": "tiny-kv", "version": "1.0.0", "type": "module", "main": "lib/index.js" }\n');
  sandbox.write(
    'node_modules/kv-alias/lib/index.js',
    [
      'export class Store {',
      '  value = 0;',
      '  async read() { await Promise.resolve(); return this.value; }',
      '  async write(v) { await null; this.value = v; }',
      '  async increment() { const v = await this.read(); await this.write(v + 1); }',
      '}',
      '',
    ].join('\n'),
  );
  sandbox.write(
    'uncontrolled/kv.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport { Store } from 'kv-alias';\n\nexport default scenario('kv: two increments', {\n  setup: () => new Store(),\n  tasks: { a: (s) => s.increment(), b: (s) => s.increment() },\n  invariant: (s) => s.value === 2 || `value is ${s.value}`,\n});\n",
  );
  // A user file the instrumenter refuses: a CommonJS module that returns at its top level, which
  // Node allows and oxc-parser does not. Its lost update runs natively.
  sandbox.write('uncontrolled/cjs/package.json', '{ "name": "cjs-part" }\n');
  sandbox.write(
    'uncontrolled/cjs/counter.js',
    'exports.increment = async function increment(s) {\n  const v = s.n;\n  await null;\n  s.n = v + 1;\n};\nif (exports.increment) return;\n',
  );
  sandbox.write(
    'uncontrolled/refused.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport { increment } from './cjs/counter.js';\n\nexport default scenario('refused counter', {\n  setup: () => ({ n: 0 }),\n  tasks: { a: (s) => increment(s), b: (s) => increment(s) },\n  invariant: (s) => s.n === 2 || `n is ${s.n}`,\n});\n",
  );
  // A user file no module hook sees: run with node:vm, as plugin loaders do.
  sandbox.write('uncontrolled/plugin.js', '(async function increment(s) { const v = s.n; await null; s.n = v + 1; })\n');
  sandbox.write(
    'uncontrolled/vm.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport { readFileSync } from 'node:fs';\nimport { runInThisContext } from 'node:vm';\n\nconst path = new URL('./plugin.js', import.meta.url).pathname;\nconst increment = runInThisContext(readFileSync(path, 'utf8'), { filename: path }) as (s: { n: number }) => Promise<void>;\n\nexport default scenario('vm plugin', {\n  setup: () => ({ n: 0 }),\n  tasks: { a: (s) => increment(s), b: (s) => increment(s) },\n  invariant: (s) => s.n === 2 || `n is ${s.n}`,\n});\n",
  );
  // Real I/O: a task reads a file.
  sandbox.write(
    'uncontrolled/io.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport { readFile } from 'node:fs/promises';\n\nexport default scenario('reads a file', {\n  setup: () => ({ n: 0 }),\n  tasks: {\n    a: async (s) => { const text = await readFile(new URL(import.meta.url), 'utf8'); s.n += text.length > 0 ? 1 : 0; },\n    b: async (s) => { await null; s.n += 1; },\n  },\n  invariant: (s) => s.n === 2 || `n is ${s.n}`,\n});\n",
  );
});
afterAll(() => sandbox.remove());
const race = (...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, [...args, '--no-corpus']);

interface JsonUncontrolled {
  awaits: Array<{ package?: string; folder?: string; file?: string; count: number; sites: number; included?: boolean; reason?: string }>;
  realIo: Array<{ kind: string; name: string; runs: number }>;
  censusRuns: number;
}
interface JsonDocument {
  warnings?: string[];
  scenarios: Array<{ status: string; runs: number; exhaustive?: boolean; verified?: boolean; uncontrolled: JsonUncontrolled }>;
}

function jsonOf(exit: Exit): JsonDocument {
  return JSON.parse(exit.stdout) as JsonDocument;
}

describe('race-hunt run: what ran outside its control', () => {
  it('names an uninstrumented package and its awaits, and dfs qualifies its verification', async () => {
    const [text, json] = await Promise.all([
      race('run', 'uncontrolled/kv.scenario.ts', '--strategy', 'dfs'),
      race('run', 'uncontrolled/kv.scenario.ts', '--strategy', 'dfs', '--json'),
    ]);
    // Each task awaits 4 times in the package (increment: 2, read: 1, write: 1; `await null` is one await).
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toContain(
      "  8 awaits in node_modules/kv-alias (package tiny-kv) ran without race-hunt's control; add `--instrument tiny-kv` to explore them.\n",
    );
    const verdict = text.stdout.split('\n').find((l) => l.includes('verified'));
    expect(verdict).toMatch(/^ {2}verified by dfs\(preemptions≤2\): all \d+ schedules with ≤ 2 preemptions satisfy the invariants — but 8 awaits in node_modules\/kv-alias \(package tiny-kv\) ran without race-hunt's control$/);

    expect(json.code).toBe(0);
    const [scenario] = jsonOf(json).scenarios;
    expect(scenario).toMatchObject({ status: 'pass', exhaustive: true, verified: true });
    expect(scenario!.uncontrolled).toEqual({
      awaits: [{ package: 'tiny-kv', folder: 'node_modules/kv-alias', count: 8, sites: 4, included: false }],
      realIo: [],
      censusRuns: 1,
    });
  });

  it('finds the lost update once the package is named, by its package.json name or its folder', async () => {
    const [byName, byFolder] = await Promise.all([
      race('run', 'uncontrolled/kv.scenario.ts', '--strategy', 'dfs', '--instrument', 'tiny-kv'),
      race('run', 'uncontrolled/kv.scenario.ts', '--strategy', 'dfs', '--instrument', 'kv-*'),
    ]);
    for (const found of [byName, byFolder]) {
      expect(found.code, found.stdout + found.stderr).toBe(1);
      expect(found.stdout).toContain('invariant violation: value is 1');
      expect(traceLines(found.stdout).some((l) => /node_modules\/kv-alias\/lib\/index\.js:5:\d+/.test(l))).toBe(true);
      expect(found.stdout).not.toMatch(/without race-hunt's control/);
      expect(found.stderr).not.toMatch(/warning/);
    }
  });

  it('never says "verified" while a user file the instrumenter refused ran natively, and says why', async () => {
    const [text, json] = await Promise.all([
      race('run', 'uncontrolled/refused.scenario.ts', '--strategy', 'dfs'),
      race('run', 'uncontrolled/refused.scenario.ts', '--strategy', 'dpor', '--json'),
    ]);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(/verified/);
    expect(text.stdout).toMatch(
      /dfs\(preemptions≤2\): all \d+ schedules with ≤ 2 preemptions satisfy the invariants, but this is no verification: code of yours ran without race-hunt's control \(2 awaits in uncontrolled\/cjs\/counter\.js\)/,
    );
    expect(text.stdout).toContain(
      "  2 awaits in uncontrolled/cjs/counter.js ran without race-hunt's control (the file was not instrumented: oxc-parser could not parse it: A 'return' statement can only be used within a function body.)\n",
    );
    const [scenario] = jsonOf(json).scenarios;
    expect(scenario).toMatchObject({ status: 'pass', exhaustive: true, verified: false });
    expect(scenario!.uncontrolled.awaits).toEqual([
      { file: 'uncontrolled/cjs/counter.js', count: 2, sites: 1, reason: expect.stringMatching(/^the file was not instrumented: oxc-parser could not parse it/) as unknown },
    ]);
  });

  it('never says "verified" while a user file no module hook saw ran natively', async () => {
    const result = await race('run', 'uncontrolled/vm.scenario.ts', '--strategy', 'dfs');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/verified/);
    expect(result.stdout).toContain(
      "  2 awaits in uncontrolled/plugin.js ran without race-hunt's control (the file was not instrumented: race-hunt's module hooks never saw it load",
    );
  });

  it('names the real I/O a verified scenario did', async () => {
    const result = await race('run', 'uncontrolled/io.scenario.ts', '--strategy', 'dfs');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /verified by dfs\(preemptions≤2\): all \d+ schedules with ≤ 2 preemptions satisfy the invariants — but real I\/O ran \(file system in \d+ runs?\), whose results and timing come from outside race-hunt\n/,
    );
  });

  it('counts real I/O once per run reported, whatever the number of workers', async () => {
    // Every run reads the file. Each worker repeats the first runs (calibration), and may run past
    // a finding before it hears of it: neither may count a run twice or count one not reported.
    for (const workers of ['1', '2']) {
      const result = await race('run', 'uncontrolled/io.scenario.ts', '--runs', '100', '--workers', workers, '--json');
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const [scenario] = jsonOf(result).scenarios;
      expect(scenario!.runs).toBe(100);
      const io = scenario!.uncontrolled.realIo;
      expect(io.length, workers).toBeGreaterThan(0);
      for (const use of io) expect(use, workers).toMatchObject({ name: 'file system', runs: 100 });
    }
  });

  it('warns when an --instrument pattern matches no loaded package, naming what was loaded', async () => {
    const [text, json] = await Promise.all([
      race('run', 'uncontrolled/kv.scenario.ts', '--runs', '5', '--instrument', 'tiny-kv', '--instrument', 'tiny-kb'),
      race('run', 'uncontrolled/kv.scenario.ts', '--runs', '5', '--instrument', '@nope/*', '--json'),
    ]);
    expect(text.stderr).toContain(
      "race-hunt: warning: --instrument tiny-kb matched no package the scenarios loaded (loaded: kv-alias (package tiny-kv)); a pattern is matched against each package's package.json name and the folder it is installed in.\n",
    );
    expect(text.stderr).not.toContain('--instrument tiny-kv ');
    expect(json.stderr).toContain('race-hunt: warning: --instrument @nope/* matched no package');
    expect(jsonOf(json).warnings).toEqual([expect.stringMatching(/^--instrument @nope\/\* matched no package the scenarios loaded \(loaded: kv-alias \(package tiny-kv\)\)/)]);
  });
});
