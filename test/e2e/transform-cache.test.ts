import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exit } from '../support/cli.js';
import { raceHunt, traceLines } from '../support/cli.js';
import { assertBuilt } from '../support/dist-api.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// The transform cache through the real binary: `RACE_HUNT_DEBUG=cache` makes race-hunt say on
// stderr, per file, whether it read the instrumented text from the cache (hit) or instrumented
// it and stored the result (miss). What a hit returns is checked to be what runs by editing an
// entry. Files under 4 KB are never cached, so the modules here are padded past that.
const PADDING = Array.from({ length: 80 }, (_, i) => `// padding ${i}: the transform cache keeps files of 4 KB or more.\n`).join('');
const PADDING_LINES = 80;

const SAFE_CREDIT = `export class Account {
  balance = 0;
  async credit(n: number): Promise<void> {
    const before = this.balance;
    this.balance = before + n;
    await Promise.resolve();
  }
}
`;
// The same with the await between the read and the write: a lost update.
const RACY_CREDIT = SAFE_CREDIT.replace('    this.balance = before + n;\n    await Promise.resolve();\n', '    await Promise.resolve();\n    this.balance = before + n;\n');

const ACCOUNT_SCENARIO = `import { scenario } from 'race-hunt';
import { Account } from './src/account.js';

export default scenario('two credits', {
  setup: () => new Account(),
  tasks: { alice: (a) => a.credit(1), bob: (a) => a.credit(1) },
  invariant: (a) => a.balance === 2 || \`balance is \${a.balance}\`,
});
`;

// A CommonJS package (no "type"): Node compiles it in its CommonJS loader, on the main thread.
const CJS_PACKAGE = `${PADDING}exports.bump = async function bump(s) {
  const v = s.n;
  await null;
  s.n = v + 1;
};
`;
const CJS_SCENARIO = `import { scenario } from 'race-hunt';
import { bump } from 'big-cjs';

export default scenario('two bumps', {
  setup: () => ({ n: 0 }),
  tasks: { a: (s) => bump(s), b: (s) => bump(s) },
  invariant: (s) => s.n === 2 || \`n is \${s.n}\`,
});
`;

let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
  sandbox.write('src/account.ts', PADDING + SAFE_CREDIT);
  sandbox.write('account.scenario.ts', ACCOUNT_SCENARIO);
  sandbox.write('node_modules/big-cjs/package.json', '{ "name": "big-cjs", "main": "index.js" }\n');
  sandbox.write('node_modules/big-cjs/index.js', CJS_PACKAGE);
  sandbox.write('cjs.scenario.ts', CJS_SCENARIO);
});
afterAll(() => sandbox.remove());

const cacheDir = (): string => sandbox.path('node_modules/.cache/race-hunt');
const entries = (): string[] => readdirSync(cacheDir()).filter((name) => name.endsWith('.entry'));

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Exit> {
  // One worker: each worker loads (and asks the cache for) every module once.
  return raceHunt(sandbox.dir, [...args, '--seed', '1', '--no-corpus', '--workers', '1'], { RACE_HUNT_DEBUG: 'cache', ...env });
}

/** The cache's lines on stderr about `file` (`hit …` / `miss …`), and the entry a hit read. */
function cacheEvents(result: Exit, file: string): { events: string[]; entry?: string } {
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('race-hunt cache: ') && line.includes(`${file} (`));
  const hit = lines.map((line) => /^race-hunt cache: hit .* \((.*\.entry)\)$/.exec(line)?.[1]).find((path) => path !== undefined);
  return { events: lines.map((line) => line.replace(/^race-hunt cache: (\w+) .*$/, '$1')), ...(hit === undefined ? {} : { entry: hit }) };
}

/** The locations of the awaits in a report's trace. */
const awaitLocations = (stdout: string): string[] => traceLines(stdout).flatMap((line) => /\s(\S+\.[cm]?[jt]s:\d+:\d+)/.exec(line)?.[1] ?? []);

describe('the transform cache', () => {
  it('stores the instrumented text in node_modules/.cache/race-hunt, and a second run reads it back', async () => {
    const first = await run(['run', 'account.scenario.ts']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(cacheEvents(first, 'src/account.ts').events).toEqual(['miss']);
    expect(entries()).toHaveLength(1);

    const second = await run(['run', 'account.scenario.ts']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(cacheEvents(second, 'src/account.ts').events).toEqual(['hit']);
    expect(entries()).toHaveLength(1);
  });

  it('instruments an edited file anew: the new await is explored and named at its new line', async () => {
    sandbox.write('src/account.ts', PADDING + RACY_CREDIT);
    const edited = await run(['run', 'account.scenario.ts']);
    expect(cacheEvents(edited, 'src/account.ts').events).toEqual(['miss']);
    expect(edited.code, edited.stdout + edited.stderr).toBe(1);
    expect(edited.stdout).toContain('balance is 1');
    expect(new Set(awaitLocations(edited.stdout))).toEqual(new Set([`src/account.ts:${PADDING_LINES + 5}:5`]));

    const again = await run(['run', 'account.scenario.ts']);
    expect(cacheEvents(again, 'src/account.ts').events).toEqual(['hit']);
    expect(again.code).toBe(1);
    expect(traceLines(again.stdout)).toEqual(traceLines(edited.stdout));
  });

  it('runs the text a hit reads, and writes a damaged entry again', async () => {
    const hit = await run(['run', 'account.scenario.ts']);
    const entry = cacheEvents(hit, 'src/account.ts').entry!;
    expect(entry).toBeDefined();
    const whole = readFileSync(entry, 'utf8');
    // Same length, so the entry is still whole: the await's label names another file.
    expect(whole).toContain('"src/account.ts:');
    writeFileSync(entry, whole.replaceAll('"src/account.ts:', '"src/ACCOUNT.ts:'));
    const tampered = await run(['run', 'account.scenario.ts']);
    expect(cacheEvents(tampered, 'src/account.ts').events).toEqual(['hit']);
    expect(new Set(awaitLocations(tampered.stdout))).toEqual(new Set([`src/ACCOUNT.ts:${PADDING_LINES + 5}:5`]));

    truncateSync(entry, Math.floor(whole.length / 2));
    const damaged = await run(['run', 'account.scenario.ts']);
    expect(cacheEvents(damaged, 'src/account.ts').events).toEqual(['miss']);
    expect(new Set(awaitLocations(damaged.stdout))).toEqual(new Set([`src/account.ts:${PADDING_LINES + 5}:5`]));
    expect(readFileSync(entry, 'utf8')).toBe(whole);
  });

  it('keeps tracking output (dpor) apart from plain output', async () => {
    const before = entries().length;
    const tracked = await run(['run', 'account.scenario.ts', '--strategy', 'dpor']);
    expect(tracked.code, tracked.stdout + tracked.stderr).toBe(1);
    expect(cacheEvents(tracked, 'src/account.ts').events).toEqual(['miss']);
    expect(entries()).toHaveLength(before + 1);
    const again = await run(['run', 'account.scenario.ts', '--strategy', 'dpor']);
    expect(cacheEvents(again, 'src/account.ts').events).toEqual(['hit']);
    expect(traceLines(again.stdout)).toEqual(traceLines(tracked.stdout));
  });

  it('caches a CommonJS dependency named with --instrument (compiled on the main thread)', async () => {
    const first = await run(['run', 'cjs.scenario.ts', '--instrument', 'big-cjs']);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(cacheEvents(first, 'node_modules/big-cjs/index.js').events).toEqual(['miss']);
    expect(new Set(awaitLocations(first.stdout))).toEqual(new Set([`node_modules/big-cjs/index.js:${PADDING_LINES + 3}:3`]));
    const second = await run(['run', 'cjs.scenario.ts', '--instrument', 'big-cjs']);
    expect(cacheEvents(second, 'node_modules/big-cjs/index.js').events).toEqual(['hit']);
    expect(traceLines(second.stdout)).toEqual(traceLines(first.stdout));
  });

  it('is turned off by RACE_HUNT_CACHE=0: nothing read, nothing written', async () => {
    const before = readdirSync(cacheDir()).map((name) => [name, statSync(join(cacheDir(), name)).mtimeMs]);
    sandbox.write('src/account.ts', `${PADDING + RACY_CREDIT}// edited again\n`);
    const off = await run(['run', 'account.scenario.ts'], { RACE_HUNT_CACHE: '0' });
    expect(off.code, off.stdout + off.stderr).toBe(1);
    expect(off.stderr).toContain(`race-hunt cache: off for ${sandbox.dir}`);
    expect(cacheEvents(off, 'src/account.ts').events).toEqual([]);
    expect(readdirSync(cacheDir()).map((name) => [name, statSync(join(cacheDir(), name)).mtimeMs])).toEqual(before);
  });
});
