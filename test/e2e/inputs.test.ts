import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceHunt, replayCommandOf, shell, traceLines } from '../support/cli.js';
import { assertBuilt, ROOT } from '../support/dist-api.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// Scenarios whose input fast-check draws (spec.input), through the real binary: the bundled
// request-burst pair, whose race needs two requests for one profile.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox(`${ROOT}/scenarios`);
  // The example: a race that needs two requests for 'a'.
  sandbox.write(
    'inputs/loader.scenario.ts',
    [
      "import fc from 'fast-check';",
      "import { scenario } from 'race-hunt';",
      '',
      '/** Loads each key once and caches it, but checks the cache before the load: two gets of one key load it twice. */',
      'class Loader {',
      '  readonly cache = new Map<string, string>();',
      '  readonly loads: string[] = [];',
      '  async get(key: string): Promise<string> {',
      '    const hit = this.cache.get(key);',
      '    if (hit !== undefined) return hit;',
      '    this.loads.push(key);',
      '    await Promise.resolve();',
      '    this.cache.set(key, key.toUpperCase());',
      '    return key.toUpperCase();',
      '  }',
      '  loadsOf(key: string): number {',
      '    return this.loads.filter((k) => k === key).length;',
      '  }',
      '}',
      '',
      "export default scenario('cache: two requests for one key load it twice', {",
      "  input: fc.record({ keys: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 6 }) }),",
      '  setup: () => new Loader(),',
      '  tasks: ({ keys }) => Object.fromEntries(keys.map((k, i) => [`req${i}`, (l: Loader) => l.get(k)])),',
      "  invariant: (loader) => loader.loadsOf('a') <= 1 || `a loaded ${loader.loadsOf('a')} times`,",
      '});',
      '',
    ].join('\n'),
  );
});
afterAll(() => sandbox.remove());

/** fast-check as the user installs it: resolved from the scenarios' own folder. */
async function linkFastCheck(): Promise<void> {
  await shell(sandbox.dir, `rm -rf node_modules/fast-check && ln -s "${ROOT}/node_modules/fast-check" node_modules/fast-check`);
}

interface JsonViolation {
  schedule: string;
  input?: unknown;
  inputShown?: string;
  trace: unknown[];
}
interface JsonScenario {
  status: string;
  violation?: JsonViolation;
  verification: Array<{ strategy: string; exhaustive: boolean; verified: boolean; input?: string }>;
}

const BUGGY = 'request-burst-buggy.scenario.ts';
const FIXED = 'request-burst-fixed.scenario.ts';

describe('race-hunt run: scenarios with a fast-check input', () => {
  it('finds the race and shrinks input and schedule together, to two requests for one profile', async () => {
    await linkFastCheck();
    for (const seed of ['1', '2', '3']) {
      const text = await raceHunt(sandbox.dir, ['run', BUGGY, '--seed', seed, '--no-corpus']);
      expect(text.code, text.stdout + text.stderr).toBe(1);
      // The smallest inputs the race needs: two requests for one profile (which one is fast-check's
      // local minimum: it shrinks the items one at a time, and ["8","7"] no longer races).
      const input = /^ {2}input: (\[.*?\])(?: \(shrunk from (\[.*?\]);.*\))?$/m.exec(text.stdout);
      const ids = JSON.parse(input![1]!) as string[];
      expect(ids, text.stdout).toHaveLength(2);
      expect(ids[0]).toBe(ids[1]);
      expect(text.stdout).toContain('invariant violation: 2 queries for 1 distinct profile');
      // Two requests: each starts and runs its query; no step of a third.
      expect(traceLines(text.stdout).every((line) => /\breq[01]\b/.test(line))).toBe(true);
      expect(replayCommandOf(text.stdout)).toMatch(/--schedule rh2\./);
    }
  });

  it("shrinks the issue's example to its one smallest input: two requests for 'a'", async () => {
    await linkFastCheck();
    for (const seed of ['1', '2', '3', '4']) {
      const json = await raceHunt(sandbox.dir, ['run', 'inputs/loader.scenario.ts', '--seed', seed, '--no-corpus', '--json']);
      expect(json.code, json.stderr).toBe(1);
      const [scenario] = (JSON.parse(json.stdout) as { scenarios: JsonScenario[] }).scenarios;
      expect(scenario!.violation!.input, `seed ${seed}`).toEqual({ keys: ['a', 'a'] });
    }
  });

  it('draws and shrinks with the fast-check 3 the project installed, as with 4', async () => {
    const fc3 = sandbox.path('fc3');
    sandbox.write('fc3/package.json', '{ "name": "fc3", "private": true }\n');
    const installed = await shell(fc3, 'npm install --no-audit --no-fund --prefer-offline --loglevel=error fast-check@3.23.2');
    expect(installed.code, installed.stderr).toBe(0);
    await shell(sandbox.dir, `rm -rf node_modules/fast-check && ln -s "${fc3}/node_modules/fast-check" node_modules/fast-check`);
    const version = await shell(sandbox.dir, 'node -p "require(\'fast-check/package.json\').version"');
    expect(version.stdout.trim()).toBe('3.23.2');
    const json = await raceHunt(sandbox.dir, ['run', 'inputs/loader.scenario.ts', '--seed', '1', '--no-corpus', '--json']);
    expect(json.code, json.stderr).toBe(1);
    const [scenario] = (JSON.parse(json.stdout) as { scenarios: JsonScenario[] }).scenarios;
    expect(scenario!.violation!.input).toEqual({ keys: ['a', 'a'] });
    const replayed = await raceHunt(sandbox.dir, ['replay', 'inputs/loader.scenario.ts', '--scenario', 'cache', '--schedule', scenario!.violation!.schedule]);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(1);
    expect(replayed.stdout).toContain('  input: {"keys":["a","a"]}\n');
  });

  it('replays input and trace from the token alone', async () => {
    await linkFastCheck();
    const text = await raceHunt(sandbox.dir, ['run', BUGGY, '--seed', '2', '--no-corpus']);
    expect(text.code).toBe(1);
    const input = /^ {2}input: (\[.*?\])/m.exec(text.stdout)![1]!;
    const replayed = await shell(sandbox.dir, replayCommandOf(text.stdout));
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(1);
    expect(replayed.stdout).toContain(`  input: ${input}\n`);
    expect(traceLines(replayed.stdout)).toEqual(traceLines(text.stdout));
  });

  it('draws the same inputs whatever the number of workers, and JSON holds the input as JSON and as fast-check prints it', async () => {
    await linkFastCheck();
    const results: JsonViolation[] = [];
    for (const workers of ['1', '2']) {
      const exit = await raceHunt(sandbox.dir, ['run', BUGGY, '--seed', '11', '--runs', '300', '--no-corpus', '--no-shrink', '--workers', workers, '--json']);
      expect(exit.code, exit.stderr).toBe(1);
      const [scenario] = (JSON.parse(exit.stdout) as { scenarios: JsonScenario[] }).scenarios;
      results.push(scenario!.violation!);
    }
    expect(results[1]!.schedule).toBe(results[0]!.schedule);
    expect(results[1]!.input).toEqual(results[0]!.input);
    const input = results[0]!.input as string[];
    expect(Array.isArray(input)).toBe(true);
    expect(results[0]!.inputShown).toBe(JSON.stringify(input));
  });

  it('PROPERTY: for any seed, the input and schedule found are the same with 1 or 3 workers, and a saved failure replays them first', async () => {
    await linkFastCheck();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), async (seed) => {
        const found: JsonViolation[] = [];
        for (const workers of ['1', '3']) {
          const exit = await raceHunt(sandbox.dir, ['run', 'inputs/loader.scenario.ts', '--seed', String(seed), '--runs', '200', '--no-corpus', '--workers', workers, '--json']);
          expect(exit.code, exit.stderr).toBe(1);
          found.push((JSON.parse(exit.stdout) as { scenarios: JsonScenario[] }).scenarios[0]!.violation!);
        }
        expect(found[1]!.schedule).toBe(found[0]!.schedule);
        expect(found[1]!.input).toEqual(found[0]!.input);
      }),
      { numRuns: 4 },
    );
    // Saved (rh2 token and all), then replayed first by the next run.
    await shell(sandbox.dir, 'rm -rf .race-hunt');
    const first = await raceHunt(sandbox.dir, ['run', 'inputs/loader.scenario.ts', '--seed', '5', '--json']);
    const saved = (JSON.parse(first.stdout) as { scenarios: JsonScenario[] }).scenarios[0]!.violation!;
    const again = await raceHunt(sandbox.dir, ['run', 'inputs/loader.scenario.ts', '--seed', '6', '--json']);
    const replayed = (JSON.parse(again.stdout) as { scenarios: Array<JsonScenario & { violation: JsonViolation & { foundBy: string } }> }).scenarios[0]!.violation;
    expect(replayed.foundBy).toMatch(/^corpus/);
    expect(replayed.schedule).toBe(saved.schedule);
    expect(replayed.input).toEqual({ keys: ['a', 'a'] });
  });

  it("a systematic search's verdict names the one input it explored", async () => {
    await linkFastCheck();
    const [text, json] = await Promise.all([
      raceHunt(sandbox.dir, ['run', FIXED, '--strategy', 'dfs', '--seed', '1', '--no-corpus']),
      raceHunt(sandbox.dir, ['run', FIXED, '--strategy', 'dfs', '--seed', '1', '--no-corpus', '--json']),
    ]);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    const [scenario] = (JSON.parse(json.stdout) as { scenarios: JsonScenario[] }).scenarios;
    const [verdict] = scenario!.verification;
    expect(verdict).toMatchObject({ strategy: 'dfs(preemptions≤2)', exhaustive: true, verified: true });
    expect(verdict!.input).toMatch(/^\[("[789]",?)+\]$/);
    expect(text.stdout).toContain(`  verified by dfs(preemptions≤2) for the input ${verdict!.input}: `);
  });

  it('says which scenario needs fast-check when it cannot be found, and a tasks(input) that throws is the scenario\'s error', async () => {
    sandbox.write(
      'inputs/hand-made.scenario.ts',
      [
        "import { scenario } from 'race-hunt';",
        '// An arbitrary-shaped object: enough for scenario(), but race-hunt draws with the fast-check it resolves.',
        'const digits = { generate: () => ({ value: [1, 2] }) };',
        "export default scenario('hand-made input', { input: digits, tasks: (xs) => Object.fromEntries(xs.map((x) => [`t${x}`, () => undefined])) });",
        "export const broken = scenario('tasks that throw', { input: digits, tasks: () => { throw new Error('no tasks for you'); } });",
        '',
      ].join('\n'),
    );
    await shell(sandbox.dir, 'rm -rf node_modules/fast-check');
    const missing = await raceHunt(sandbox.dir, ['run', 'inputs/hand-made.scenario.ts', '--scenario', 'hand-made input', '--no-corpus']);
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).toContain('scenario "hand-made input" draws its input from a fast-check arbitrary, but fast-check cannot be found from');
    expect(missing.stdout + missing.stderr).toContain('npm install --save-dev fast-check');
    await linkFastCheck();
    const broken = await raceHunt(sandbox.dir, ['run', 'inputs/hand-made.scenario.ts', '--scenario', 'tasks that throw', '--no-corpus']);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain('input of scenario "tasks that throw" in inputs/hand-made.scenario.ts failed: no tasks for you');
  });
});
