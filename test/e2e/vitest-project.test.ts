import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT } from '../support/dist-api.js';
import { internalFrames } from '../support/cli.js';
import type { Result } from '../support/exec.js';
import { exec } from '../support/exec.js';

// A real vitest project (test/fixtures/vitest-project: its package.json, a vitest.config.ts with
// the plugin, a racy and a fixed counter, one scenario inline in a test file and one in a
// module of its own), with race-hunt installed from the packed tarball, run by the real vitest.
const FIXTURE = join(ROOT, 'test', 'fixtures', 'vitest-project');
const versionOf = (name: string): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const VITEST_VERSION = versionOf('vitest');
const FAST_CHECK_VERSION = versionOf('fast-check');

const work = mkdtempSync(join(tmpdir(), 'rh-vitest-'));
const project = join(work, 'project');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function vitest(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return exec('npx', ['--no', 'vitest', 'run', ...args], project, env);
}

/** The trace step that shows the lost update: the racy counter's await, with its source line. */
const RACY_STEP = /src\/counter\.ts:7:5 +│ await this\.roundTrip\(\);/;

beforeAll(async () => {
  assertBuilt();
  // --ignore-scripts: `prepack` would rebuild dist/ under the feet of the other test files.
  const packed = await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], ROOT);
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  cpSync(FIXTURE, project, { recursive: true });
  const installed = await exec('npm', ['install', join(work, tarball), `vitest@${VITEST_VERSION}`, `fast-check@${FAST_CHECK_VERSION}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
  expect(installed.code, installed.stderr).toBe(0);
}, 240_000);

describe('race-hunt in a vitest project', () => {
  it('fails the racy scenario with a trace at the line of the user module, and passes the fixed one', async () => {
    const result = await vitest();
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(1);
    expect(output).toMatch(/Tests +1 failed \| 6 passed \(7\)/);
    expect(output).toContain('FAIL  test/counter.test.ts > counter > loses no update');
    expect(output).toContain('race-hunt found a race in "counter: two increments"');
    expect(output).toContain('invariant violation: value is 1');
    expect(output).toMatch(RACY_STEP);
    expect(output).toContain("replay: npx vitest run test/counter.test.ts -t '^counter loses no update$'");
    expect(output).toMatch(/saved: +\.race-hunt\/failures\/counter-two-increments-[0-9a-f]+\.json/);
    // Instrumented by the plugin: no await of the user's ran outside race-hunt's control.
    expect(output).not.toContain("without race-hunt's control");
    expect(internalFrames(output)).toEqual([]);
  });

  it('replays the saved failure first on the next run, and the printed command reruns just that test', async () => {
    const again = await vitest();
    expect(again.code).toBe(1);
    expect(again.stdout + again.stderr).toMatch(/found in run 1 by corpus \(\.race-hunt\/failures\/counter-two-increments-[0-9a-f]+\.json\)/);
    const replayed = await exec('/bin/sh', ['-c', "npx --no vitest run test/counter.test.ts -t '^counter loses no update$'"], project);
    const output = replayed.stdout + replayed.stderr;
    expect(replayed.code, output).toBe(1);
    expect(output).toMatch(/Tests +1 failed \| 3 skipped \(4\)/);
    expect(output).toMatch(/found in run 1 by corpus/);
    expect(output).toMatch(RACY_STEP);
  });

  it('explores the full budget with RACE_HUNT_MODE=explore, and says a bad mode is one', async () => {
    rmSync(join(project, '.race-hunt'), { recursive: true, force: true });
    const explored = await vitest(['test/counter.test.ts', '-t', '^counter loses no update$'], { RACE_HUNT_MODE: 'explore', RACE_HUNT_RUNS: '3000' });
    expect(explored.code).toBe(1);
    expect(explored.stdout + explored.stderr).toMatch(/race-hunt found a race in "counter: two increments" \(\d+ runs? in the explore mode\)/);
    const bad = await vitest(['test/counter.test.ts', '-t', '^counter loses no update$'], { RACE_HUNT_MODE: 'nightly' });
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('RACE_HUNT_MODE must be "regression" or "explore"; got "nightly".');
  });

  it('says so, rather than pass, when the plugin is not in the config', async () => {
    writeFileSync(join(project, 'vitest.bare.config.ts'), "import { defineConfig } from 'vitest/config';\nexport default defineConfig({});\n");
    const bare = await vitest(['--config', 'vitest.bare.config.ts', 'test/counter.test.ts', '-t', 'explore']);
    expect(bare.code).toBe(1);
    expect(bare.stdout + bare.stderr).toContain('explore() was asked to explore "counter: two increments", but no code in this process was instrumented');
    expect(bare.stdout + bare.stderr).toContain("plugins: [raceHunt()]");
  });

  it('serves dpor when the plugin tracks memory accesses (track: true)', async () => {
    const tracked = await vitest(['--config', 'vitest.dpor.config.ts']);
    const output = tracked.stdout + tracked.stderr;
    expect(tracked.code, output).toBe(0);
    const [, dpor, dfs] = /dpor: (\d+) schedules; dfs: (\d+)/.exec(output) ?? [];
    expect(Number(dpor)).toBeGreaterThan(0);
    expect(Number(dpor) * 10).toBeLessThan(Number(dfs));
  });

  it('types the matchers and explore(): the project type-checks, and a wrong option does not', async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const typed = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    expect(typed.code, typed.stdout).toBe(0);
    writeFileSync(
      join(project, 'test', 'wrong.test.ts'),
      "import { expect, it } from 'vitest';\nimport safe from '../scenarios/safe.scenario.js';\nit('w', async () => {\n  await expect(safe).toHaveNoRaces({ runz: 5 });\n});\n",
    );
    const wrong = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    rmSync(join(project, 'test', 'wrong.test.ts'));
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.test\.ts\(4,.*'runz' does not exist/);
  });

  it('finds the race with race-hunt linked (npm link, workspaces): outside node_modules, as vitest sees it', async () => {
    rmSync(join(project, '.race-hunt'), { recursive: true, force: true });
    rmSync(join(project, 'node_modules', 'race-hunt'), { recursive: true, force: true });
    symlinkSync(ROOT, join(project, 'node_modules', 'race-hunt'), 'dir');
    const linked = await vitest();
    const output = linked.stdout + linked.stderr;
    expect(linked.code, output).toBe(1);
    expect(output).toMatch(/Tests +1 failed \| 6 passed \(7\)/);
    expect(output).toMatch(RACY_STEP);
  });
});
