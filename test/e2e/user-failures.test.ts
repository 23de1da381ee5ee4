import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { internalFrames, raceHunt } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// What the user's code did, named as what it is: a misdeclared check is the scenario's error,
// an odd thrown value is the user's finding shown as it is, a broken JSON file is not a
// syntax error in the scenario.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
  // Written at test time: files that do not parse cannot live among the fixtures.
  sandbox.write('json/broken.json', '{ "retries": 3,\n');
  sandbox.write(
    'json/parse.scenario.ts',
    "import { readFileSync } from 'node:fs';\nimport { scenario } from 'race-hunt';\n\nconst config = JSON.parse(readFileSync(new URL('./broken.json', import.meta.url), 'utf8')) as unknown;\nexport default scenario('reads config', { tasks: { a: () => config } });\n",
  );
  sandbox.write(
    'json/import.scenario.ts',
    "import { scenario } from 'race-hunt';\nimport config from './broken.json' with { type: 'json' };\n\nexport default scenario('imports config', { tasks: { a: () => config } });\n",
  );
  sandbox.write(
    'json/require.scenario.cjs',
    "const { scenario } = require('race-hunt');\nconst config = require('./broken.json');\n\nmodule.exports = scenario('requires config', { tasks: { a: () => config } });\n",
  );
});
afterAll(() => sandbox.remove());
const race = (...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, args);

function expectNoInternals(result: Exit): void {
  expect(internalFrames(`${result.stdout}\n${result.stderr}`)).toEqual([]);
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/internal error|race-hunt failed unexpectedly|\[object Object\]/);
}

describe('an always check that returns a promise', () => {
  // Was a bug: the promise counted as "anything else passes", so an async always never failed.
  it('is an error of that scenario, saying to make it synchronous or move the check into invariant', async () => {
    const result = await race('run', 'errors/always-async.scenario.ts', '--runs', '50', '--seed', '1');
    expect(result.code, result.stdout).toBe(2);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      '✖ error always is async errors/always-async.scenario.ts',
      '  the always check of scenario "always is async" in errors/always-async.scenario.ts returned a promise: always runs after every step, so it must be synchronous (its result was not checked). Make always synchronous, or move the async check into invariant, which may be async and runs once every task has settled.',
    ]);
    expect(result.stdout).not.toMatch(/violation|passed, 0 failed {2}/);
    expectNoInternals(result);
  });
});

describe('values a task throws that are not Errors', () => {
  // Was a bug: "threw [object Object]".
  it('a plain object is shown as util.inspect shows it', async () => {
    const result = await race('run', 'errors/throws-values.scenario.ts', '--scenario', 'throws a plain object', '--runs', '20', '--seed', '1', '--no-shrink');
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toContain("  exception violation: task worker failed: threw { code: 'E_X', detail: 1 }");
    expectNoInternals(result);
  });

  // Was a bug: describing a revoked proxy threw (instanceof runs its trap), and the whole tool
  // stopped with "race-hunt: internal error", the other scenarios unreported.
  it('a revoked proxy is the user’s finding too, and the other scenarios of the run are reported', async () => {
    const result = await race('run', 'errors/throws-values.scenario.ts', 'pass.scenario.ts', '--runs', '20', '--seed', '1', '--no-shrink');
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('  exception violation: task worker failed: threw <Revoked Proxy>');
    expect(result.stdout).toMatch(/^✘ throws a revoked proxy /m);
    expect(result.stdout).toMatch(/^✘ throws a plain object /m);
    expect(result.stdout).toMatch(/^✔ atomic increments pass\.scenario\.ts/m);
    expect(result.stdout).toMatch(/^3 scenarios — 1 passed, 2 failed {2}\(seed 1\)$/m);
    expect(result.stderr).toBe('');
    expectNoInternals(result);
  });

  // Was a bug: the await gate's `instanceof Promise` ran the proxy's trap and threw, leaving its
  // continuation waiting forever: a false deadlock.
  it('await of a revoked proxy rejects as under Node, and the task goes on', async () => {
    const node = execFileSync(process.execPath, [sandbox.path('errors/await-revoked.mjs')], { encoding: 'utf8' });
    expect(JSON.parse(node)).toEqual({ caught: "TypeError: Cannot perform 'get' on a proxy that has been revoked", finished: true });
    const result = await race('run', 'errors/await-revoked.scenario.ts', '--runs', '20', '--seed', '1');
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^✔ await a revoked proxy /m);
  });
});

describe('a JSON file that does not parse, read while the scenario loads', () => {
  // Was a bug: "syntax error: Expected double-quoted property name …. Fix it and run again.",
  // which points at the scenario file.
  it('JSON.parse at the top level: names the call, says the text is not valid JSON', async () => {
    const result = await race('run', 'json/parse.scenario.ts');
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /^ {2}could not load json\/parse\.scenario\.ts: importing it threw: the JSON\.parse call at json\/parse\.scenario\.ts:4:\d+ was given text that is not valid JSON \(.+\)\. Check the file or string it parses, then run again\.$/m,
    );
    expect(result.stdout).not.toMatch(/syntax error/);
    expectNoInternals(result);
  });

  it('a JSON module imported or required: names the JSON file', async () => {
    const [imported, required] = await Promise.all([race('run', 'json/import.scenario.ts'), race('run', 'json/require.scenario.cjs')]);
    expect(imported.code).toBe(2);
    expect(imported.stdout).toMatch(/^ {2}could not load json\/import\.scenario\.ts: json\/broken\.json is not valid JSON: .+ \(at json\/broken\.json:2:\d+\)\. Fix that file and run again\.$/m);
    expect(required.code).toBe(2);
    expect(required.stdout).toMatch(/^ {2}could not load json\/require\.scenario\.cjs: json\/broken\.json is not valid JSON: .+\. Fix that file and run again\.$/m);
    for (const result of [imported, required]) {
      expect(result.stdout).not.toMatch(/syntax error/);
      expectNoInternals(result);
    }
  });
});
