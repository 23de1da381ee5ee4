import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realIoName } from '../../src/core/real-io.js';
import { raceHunt } from '../support/cli.js';
import { assertBuilt } from '../support/dist-api.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// The census of awaits that ran outside race-hunt's control rests on what V8's promise hooks and
// Node show. Each case runs a plain Node script (the truth), then race-hunt on a scenario that
// relies on it (what race-hunt makes of it).
const SCRIPTS = fileURLToPath(new URL('./uncontrolled/', import.meta.url));
const exec = promisify(execFile);

async function node<T>(script: string, ...args: string[]): Promise<T> {
  const { stdout } = await exec(process.execPath, [`${SCRIPTS}${script}`, ...args], { cwd: SCRIPTS });
  return JSON.parse(stdout) as T;
}

interface Frame {
  fn: string | null;
  file: string | null;
  line: number | null;
}
interface Made {
  hasParent: boolean;
  parent: string | null;
  frames: Frame[];
}
interface Uncontrolled {
  awaits: Array<{ package?: string; file?: string; count: number; sites: number; reason?: string }>;
  realIo: Array<{ kind: string; name: string; runs: number }>;
}

let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
  // One function that awaits twice (a promise, a plain value) and also makes promises that are no
  // awaits: a `.then`, a `Promise.all`, a `new Promise`.
  sandbox.write('node_modules/mixed-awaits/package.json', '{ "name": "mixed-awaits", "type": "module", "main": "index.js" }\n');
  sandbox.write(
    'node_modules/mixed-awaits/index.js',
    'export async function mixed(s) {\n  const p = Promise.resolve(1);\n  await p;\n  await 5;\n  p.then(() => s.n++);\n  Promise.all([p, p]);\n  new Promise((resolve) => resolve(1));\n  s.n++;\n}\n',
  );
  sandbox.write(
    'fidelity/mixed.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport { mixed } from 'mixed-awaits';\n\nexport default scenario('mixed', {\n  setup: () => ({ n: 0 }),\n  tasks: { a: async (s) => { await mixed(s); } },\n});\n",
  );
  sandbox.write(
    'fidelity/generators.scenario.ts',
    "import { scenario } from 'race-hunt';\n\nasync function* numbers(n: number) {\n  for (let i = 0; i < n; i++) {\n    await null;\n    yield i;\n  }\n  return 'done';\n}\nasync function* relay() {\n  yield* numbers(2);\n}\n\nexport default scenario('generators', {\n  setup: () => ({ total: 0 }),\n  tasks: {\n    a: async (s) => { for await (const x of numbers(3)) s.total += x; },\n    b: async (s) => { for await (const x of relay()) s.total += x; },\n  },\n});\n",
  );
  sandbox.write(
    'fidelity/eval.scenario.ts',
    "import { scenario } from 'race-hunt';\n\nconst built = eval('(async function (s) { await null; s.n++; })') as (s: { n: number }) => Promise<void>;\n\nexport default scenario('eval', {\n  setup: () => ({ n: 0 }),\n  tasks: { a: async (s) => { await built(s); } },\n});\n",
  );
  sandbox.write(
    'fidelity/io.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport { stat } from 'node:fs/promises';\n\nexport default scenario('stat', {\n  tasks: { a: async () => { await stat(new URL(import.meta.url)); } },\n});\n",
  );
});
afterAll(() => sandbox.remove());

async function uncontrolledOf(...args: string[]): Promise<Uncontrolled> {
  const exit = await raceHunt(sandbox.dir, [...args, '--json', '--no-corpus']);
  expect(exit.code, exit.stdout + exit.stderr).toBe(0);
  return (JSON.parse(exit.stdout) as { scenarios: Array<{ uncontrolled: Uncontrolled }> }).scenarios[0]!.uncontrolled;
}

describe('uncontrolled awaits: Node', () => {
  it('an await makes a promise whose parent is the awaited promise, at the async function; `await value` makes two; .then and Promise.all make theirs in built-ins', async () => {
    const script = readFileSync(`${SCRIPTS}await-promises.mjs`, 'utf8').split('\n');
    const lineOf = (text: string): number => script.findIndex((l) => l.includes(text)) + 1;
    const { cases } = await node<{ cases: Record<string, Made[]> }>('await-promises.mjs');
    const top = (m: Made): Frame => m.frames[0]!;

    // #0 is the awaited promise, #1 the async function's own (no parent).
    const [own, awaited] = cases['await promise']!;
    expect(own!.hasParent).toBe(false);
    expect(awaited).toMatchObject({ hasParent: true, parent: '#0' });
    expect(top(awaited!)).toEqual({ fn: 'awaitsPromise', file: 'this file', line: lineOf("await p; // the await of 'await promise'") });

    // `await 5`: a wrapper (its parent: the async function's promise), then one whose parent is the wrapper.
    const [, wrapper, second] = cases['await value']!;
    expect(wrapper).toMatchObject({ hasParent: true, parent: '#1' });
    expect(second).toMatchObject({ hasParent: true, parent: '#2' });
    for (const made of [wrapper!, second!]) expect(top(made)).toEqual({ fn: 'awaitsValue', file: 'this file', line: lineOf("await 5; // the await of 'await value'") });

    // `yield` in an async generator: the same two promises at the generator, though no `await` is
    // written. Instrumented code yields `await __rh$await(x)`: the census must not count these.
    const [, yieldWrapper, yieldSecond] = cases['async generator yield']!;
    expect(yieldWrapper).toMatchObject({ hasParent: true, parent: '#1' });
    expect(yieldSecond).toMatchObject({ hasParent: true, parent: '#2' });
    expect(top(yieldSecond!)).toEqual({ fn: 'yields', file: 'this file', line: lineOf("yield 1; // the yield of 'async generator yield'") });

    // Promises with a parent whose top frame is a built-in (no file): not awaits.
    expect(cases.then).toEqual([{ hasParent: true, parent: '#0', frames: [{ fn: 'then', file: null, line: null }, expect.anything()] }]);
    const all = cases['Promise.all']!;
    expect(all.filter((m) => m.hasParent).map((m) => top(m))).toEqual([
      { fn: 'then', file: null, line: null },
      { fn: 'then', file: null, line: null },
    ]);
    expect(cases['new Promise']!.every((m) => !m.hasParent)).toBe(true);
  });

  it('with a second promise hook on, Node calls the hooks from a frame of its own, above the await', async () => {
    const { cases } = await node<{ cases: Record<string, Made[]> }>('await-promises.mjs', '--two-hooks');
    const awaited = cases['await promise']![1]!;
    expect(awaited.frames[0]).toMatchObject({ fn: 'initAll', file: 'node:internal/promise_hooks' });
    expect(awaited.frames[1]).toMatchObject({ fn: 'awaitsPromise', file: 'this file' });
  });

  it('code built with eval or new Function has no file, only an eval origin naming the caller; node:vm code has the name it was given', async () => {
    const frames = await node<Record<string, { file: string | null; isEval: boolean; evalOrigin: string | null }>>('eval-frames.mjs');
    const self = frames.self as unknown as string;
    for (const built of [frames.eval!, frames.newFunction!]) {
      expect(built.file).toBeNull();
      expect(built.isEval).toBe(true);
      expect(built.evalOrigin).toMatch(new RegExp(`^eval at .*\\(${self.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+\\)$`));
    }
    expect(frames.vm).toEqual({ file: '/somewhere/plugin.js', isEval: false, evalOrigin: null });
  });

  it('a message a load hook posts is readable in the main thread, synchronously, once the import resolved', async () => {
    expect(await node('loader-port.mjs')).toEqual({ imported: true, received: true, more: false });
  });

  it('real operations in flight show as kinds that race-hunt names', async () => {
    const kinds = await node<Record<string, string[]>>('real-io-kinds.mjs');
    const names = (op: string): string[] => kinds[op]!.map(realIoName);
    expect(names('fs.promises.readFile')).toContain('file system');
    expect(names('fs.stat')).toContain('file system');
    expect(names('dns.lookup')).toContain('DNS');
    expect(names('net.connect')).toContain('TCP');
    expect(names('child_process.spawn')).toContain('child process');
  });
});

describe('uncontrolled awaits: race-hunt', () => {
  it('counts each native await once, and no .then, Promise.all or new Promise', async () => {
    const [native, instrumented] = await Promise.all([
      uncontrolledOf('run', 'fidelity/mixed.scenario.ts', '--runs', '3'),
      uncontrolledOf('run', 'fidelity/mixed.scenario.ts', '--runs', '3', '--instrument', 'mixed-awaits'),
    ]);
    expect(native.awaits).toEqual([{ package: 'mixed-awaits', folder: 'node_modules/mixed-awaits', count: 2, sites: 2, included: false }]);
    // Instrumented, both awaits go through race-hunt's gate: nothing is counted.
    expect(instrumented.awaits).toEqual([]);
  });

  it('counts nothing in instrumented async generators, where V8 awaits on its own (yield, yield*, return, for await)', async () => {
    const { awaits } = await uncontrolledOf('run', 'fidelity/generators.scenario.ts', '--runs', '3');
    expect(awaits).toEqual([]);
  });

  it('reports eval-built code under the file that built it', async () => {
    const { awaits } = await uncontrolledOf('run', 'fidelity/eval.scenario.ts', '--runs', '3');
    expect(awaits).toEqual([{ file: 'fidelity/eval.scenario.ts', count: 1, sites: 1, reason: 'code built at run time with eval or new Function is never instrumented' }]);
  });

  it('names the real I/O a run waited for', async () => {
    const { realIo } = await uncontrolledOf('run', 'fidelity/io.scenario.ts', '--runs', '3');
    expect(realIo.map((use) => use.name)).toContain('file system');
  });
});
