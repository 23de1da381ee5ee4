import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { LoadFnOutput, LoadHookContext } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import MagicString from 'magic-string';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initialize, load } from '../../src/instrument/loader-hook.js';
import type { InstrumentPolicy } from '../../src/instrument/instrument-policy.js';
import { RUNTIME_GLOBALS } from '../../src/instrument/runtime-names.js';
import { instrumentSource } from '../../src/instrument/transform.js';
import { linesOf, suspensionFacts } from './ast-facts.js';
import { compileInstrumentHook, PROJECT_ROOT } from './compiled-hook.js';
import type { CompiledHook } from './compiled-hook.js';

const CWD = '/work/app';
const TS_SOURCE = 'export async function f() {\n  return await g();\n}\n';
const context: LoadHookContext = { conditions: ['node', 'import'], format: 'module', importAttributes: {}, importAssertions: {} };

/** Calls the hook's `load` with a `nextLoad` that returns `result`. */
async function loadWith(url: string, result: LoadFnOutput): Promise<LoadFnOutput> {
  return load(url, context, () => result);
}

describe('loader hook (in-process)', () => {
  beforeEach(() => {
    initialize({ policy: { include: ['async-mutex'], excludeRoots: ['/work/race-hunt/dist'] }, cwd: CWD, track: false });
  });

  it('instruments a TypeScript module given as bytes, naming it relative to cwd', async () => {
    const loaded = await loadWith('file:///work/app/src/a.ts', { format: 'module', source: Buffer.from(TS_SOURCE) });
    expect(loaded.format).toBe('module');
    expect(loaded.source).toBe(instrumentSource(TS_SOURCE, '/work/app/src/a.ts', 'src/a.ts')?.code);
    expect(suspensionFacts(String(loaded.source), 'a.ts').locs).toEqual(['src/a.ts:2:10']);
  });

  it('keeps every other property of the loaded result', async () => {
    const loaded = await loadWith('file:///work/app/a.mjs', { format: 'module', source: TS_SOURCE, shortCircuit: true });
    expect(loaded.shortCircuit).toBe(true);
    expect(String(loaded.source)).toContain(RUNTIME_GLOBALS.await);
  });

  it('names files outside cwd by their absolute path', async () => {
    const loaded = await loadWith('file:///elsewhere/b.ts', { format: 'module', source: TS_SOURCE });
    expect(suspensionFacts(String(loaded.source), 'b.ts').locs).toEqual(['/elsewhere/b.ts:2:10']);
  });

  it('parses CommonJS sources as scripts', async () => {
    const cjs = 'await(1);\nasync function f() { await x }\n';
    const loaded = await loadWith('file:///work/app/c.js', { format: 'commonjs', source: cjs });
    expect(suspensionFacts(String(loaded.source), 'c.cjs').locs).toEqual(['c.js:2:22']);
  });

  it('names awaits of compiled output where its inline source map says they were written', async () => {
    const edits = new MagicString('export async function f(x: number) {\n  return await x;\n}\n');
    edits.remove(edits.original.indexOf(': number'), edits.original.indexOf(': number') + ': number'.length);
    const map = edits.generateMap({ hires: true, source: '../src/f.ts' });
    const compiled = `${edits.toString()}//# sourceMappingURL=${map.toUrl()}\n`;
    const loaded = await loadWith('file:///work/app/dist/f.js', { format: 'module', source: compiled });
    expect(suspensionFacts(String(loaded.source), 'f.js').locs).toEqual(['src/f.ts:2:10']);
  });

  it('passes a CommonJS module without a source through (the CommonJS compile hook instruments it)', async () => {
    const sourceless: LoadFnOutput = { format: 'commonjs' };
    expect(await loadWith('file:///work/app/a.ts', sourceless)).toBe(sourceless);
  });

  it('passes through opaque formats, excluded files and syntax errors', async () => {
    const cases: [string, LoadFnOutput][] = [
      ['file:///work/app/data.json', { format: 'json', source: '{"await": 1}' }],
      ['node:fs', { format: 'builtin', source: TS_SOURCE }],
      ['file:///work/app/a.ts', { format: 'wasm', source: TS_SOURCE }],
      ['file:///work/app/node_modules/other/index.js', { format: 'module', source: TS_SOURCE }],
      ['file:///work/race-hunt/dist/runtime/gate.js', { format: 'module', source: TS_SOURCE }],
      ['data:text/javascript,await 1', { format: 'module', source: 'await 1' }],
      ['file:///work/app/broken.ts', { format: 'module', source: 'async function f() { await x; const = 1 }' }],
    ];
    for (const [url, result] of cases) {
      expect(await loadWith(url, result), url).toBe(result);
    }
  });

  it('instruments packages the policy includes', async () => {
    const url = 'file:///work/app/node_modules/async-mutex/index.mjs';
    const loaded = await loadWith(url, { format: 'module', source: TS_SOURCE });
    expect(suspensionFacts(String(loaded.source), 'index.mjs').locs).toEqual(['node_modules/async-mutex/index.mjs:2:10']);
  });

  it('never throws on a bad policy or URL: it passes the module through', async () => {
    initialize({ policy: { include: null, excludeRoots: null } as unknown as InstrumentPolicy, cwd: CWD, track: false });
    const result: LoadFnOutput = { format: 'module', source: TS_SOURCE };
    expect(await loadWith('file:///work/app/a.ts', result)).toBe(result);
    expect(await loadWith('not a url', result)).toBe(result);
  });
});

/** What one child process printed. */
interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runNode(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('loader hook registered before tsx (child processes)', () => {
  const REGISTER = pathToFileURL(join(PROJECT_ROOT, 'test', 'fixtures', 'instrument', 'register-hooks.mjs')).href;
  const ZOO_DIR = 'test/fixtures/syntax-zoo';
  const ZOO = `${ZOO_DIR}/zoo.ts`;
  let hook: CompiledHook;
  let scratch: string;
  let runs = 0;

  beforeAll(async () => {
    hook = await compileInstrumentHook();
    scratch = await mkdtemp(join(tmpdir(), 'race-hunt-instrument-'));
  });
  afterAll(async () => {
    await hook?.remove();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  /** Runs `entry` with the hook and gates of the given kind; returns its output and the LOCs its gates saw. */
  async function runInstrumented(entry: string, gates: 'passthrough' | 'delay') {
    const locFile = join(scratch, `locs-${++runs}.json`);
    const policy: InstrumentPolicy = { include: [], excludeRoots: [join(PROJECT_ROOT, 'src')] };
    const result = await runNode(['--import', REGISTER, entry], {
      RH_HOOK_URL: hook.hookUrl,
      RH_GLOBALS: JSON.stringify(RUNTIME_GLOBALS),
      RH_GATES: gates,
      RH_POLICY: JSON.stringify(policy),
      RH_CWD: PROJECT_ROOT,
      RH_LOC_FILE: locFile,
    });
    const locs = JSON.parse(await readFile(locFile, 'utf8').catch(() => '[]')) as string[];
    return { ...result, locs };
  }

  /** Every LOC the instrumenter writes into the zoo's files, once each (the declarators of one `await using` share theirs). */
  async function staticZooLocs(): Promise<string[]> {
    const locs: string[] = [];
    for (const file of ['zoo.ts', 'helper.ts', 'view.tsx']) {
      const displayPath = `${ZOO_DIR}/${file}`;
      const source = await readFile(join(PROJECT_ROOT, displayPath), 'utf8');
      const code = instrumentSource(source, join(PROJECT_ROOT, displayPath), displayPath)?.code ?? '';
      locs.push(...suspensionFacts(code, file).locs);
    }
    return [...new Set(locs)].sort();
  }

  it('the zoo prints the same results with transparent gates, delaying gates and plain tsx', async () => {
    const [plain, passthrough, delayed] = await Promise.all([
      runNode(['--import', 'tsx', ZOO]),
      runInstrumented(ZOO, 'passthrough'),
      runInstrumented(ZOO, 'delay'),
    ]);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({
      generics: expect.any(Array),
      awaitUsing: ['res', 'null', 'object', 'sync disposed', 'disposed'],
      promiseCalls: [4, 3, 'nope', 'second nope', 'kept nope', 'replaced nope', 12, 22, 32, 42, 52, 'typed 2', 62, 2, 3, null, 8, 2],
    });
    for (const run of [passthrough, delayed]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(plain.stdout);
    }

    // Every gate in the zoo ran (it is written so that every await executes), and nothing else was gated:
    // not tsx, not race-hunt's own sources, not other node_modules.
    const expected = await staticZooLocs();
    expect(expected.length).toBeGreaterThan(90);
    expect([...passthrough.locs].sort()).toEqual(expected);
    expect([...delayed.locs].sort()).toEqual(expected);

    // Each LOC names the line and column of an await / for await / yield keyword in the original
    // file, or of a promise call's callback.
    for (const loc of delayed.locs) {
      const [, path = '', line, column] = /^(.*):(\d+):(\d+)$/.exec(loc) ?? [];
      const text = await readFile(join(PROJECT_ROOT, path), 'utf8');
      if (suspensionFacts(text, path).promiseCallbackPositions.includes(`${line}:${column}`)) continue;
      const original = linesOf(text);
      const lineText = original[Number(line) - 1] ?? '';
      expect(lineText, loc).toMatch(/await|yield/);
      expect(lineText.slice(Number(column) - 1), loc).toMatch(/^(await\b|for\s*await\b|yield\b)/);
    }
  });

  it('stack traces keep the original line and column on instrumented lines', async () => {
    const entry = 'test/fixtures/instrument/stack.ts';
    const source = await readFile(join(PROJECT_ROOT, entry), 'utf8');
    const line = linesOf(source).findIndex((text) => text.includes("throw new Error('here')"));
    const column = (linesOf(source)[line] ?? '').indexOf("new Error('here')") + 1;
    const [plain, passthrough, delayed] = await Promise.all([
      runNode(['--import', 'tsx', entry]),
      runInstrumented(entry, 'passthrough'),
      runInstrumented(entry, 'delay'),
    ]);
    const frame = `stack.ts:${line + 1}:${column})`;
    expect(plain.stdout).toContain(frame);
    expect(passthrough.locs.length).toBe(3);
    expect(passthrough.stdout).toBe(plain.stdout);
    // The delaying gate adds its own async frame; the user's frames keep their positions.
    const userFrames = (stdout: string): string[] => stdout.split('\n').filter((text) => text.includes('stack.ts:'));
    expect(userFrames(delayed.stdout)).toEqual(userFrames(plain.stdout));
  });

  it('a syntax error is reported by tsx at its real location', async () => {
    const entry = 'test/fixtures/broken/instrument-syntax-error.ts';
    const [plain, instrumented] = await Promise.all([runNode(['--import', 'tsx', entry]), runInstrumented(entry, 'passthrough')]);
    const location = /instrument-syntax-error\.ts:\d+:\d+: ERROR: [^\n]*/.exec(plain.stderr)?.[0];
    expect(location).toMatch(/:4:\d+: ERROR/);
    expect(instrumented.code).not.toBe(0);
    expect(instrumented.stderr).toContain(location);
  });
});
