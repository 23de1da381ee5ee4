import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceHunt, stripAnsi } from '../support/cli.js';
import { assertBuilt, BIN } from '../support/dist-api.js';
import { nodeOracle } from '../support/oracle.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// The CI gate through the real binary: runs that hang, interrupts, closed pipes, worker counts.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ci-gate');
const ORACLE = join(dirname(fileURLToPath(import.meta.url)), 'oracle');
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox(FIXTURES);
  sandbox.write('lost-update.scenario.ts', readFileSync(join(FIXTURES, '..', 'e2e', 'lost-update.scenario.ts'), 'utf8'));
  sandbox.write('lib/counter.ts', readFileSync(join(FIXTURES, '..', 'e2e', 'lib', 'counter.ts'), 'utf8'));
});
afterAll(() => sandbox.remove());

interface JsonScenario {
  name: string;
  status: string;
  runs: number;
  interleavings: number;
  awaitPairs: number;
  stopped?: string;
  violation?: { kind: string; message: string; schedule: string; run: number; failureFile?: string; trace: { task: string }[] };
}
const scenariosOf = (stdout: string): JsonScenario[] => (JSON.parse(stdout) as { scenarios: JsonScenario[] }).scenarios;

/** Processes whose command line mentions the sandbox: none may outlive a run. */
function leftovers(): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes(sandbox.dir) && !line.includes('ps -eo'));
}

describe('a run that never ends', () => {
  it('is stopped after --run-timeout and reported as a timeout with its trace, replay token and saved file; the other scenarios go on', async () => {
    const started = Date.now();
    const exit = await raceHunt(sandbox.dir, ['run', 'hang.scenario.ts', '--seed', '3', '--run-timeout', '1s', '--workers', '2', '--json']);
    expect(exit.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(60_000);
    const [passes, spins] = ['passes beside it', 'spins when b goes first'].map((n) => scenariosOf(exit.stdout).find((s) => s.name === n)!);
    expect(passes!.status).toBe('pass');
    expect(spins!.status).toBe('fail');
    const violation = spins!.violation!;
    expect(violation.kind).toBe('timeout');
    expect(violation.message).toMatch(/did not finish within 1 s/);
    expect(violation.schedule).toMatch(/^rh1\./);
    // The trace ends with the step that never finished: b resuming after its first await.
    expect(violation.trace.at(-1)!.task).toBe('b');
    expect(existsSync(sandbox.path(violation.failureFile!))).toBe(true);
    expect(leftovers()).toEqual([]);

    // Its replay stops again, after the timeout, with the same trace; shrinking it is refused.
    const replayed = await raceHunt(sandbox.dir, ['replay', violation.failureFile!, '--run-timeout', '1s', '--json']);
    expect(replayed.code).toBe(1);
    const again = scenariosOf(replayed.stdout)[0]!.violation!;
    expect(again.kind).toBe('timeout');
    expect(again.trace).toEqual(violation.trace);
    const shrunk = await raceHunt(sandbox.dir, ['shrink', violation.failureFile!]);
    expect(shrunk.code).toBe(2);
    expect(shrunk.stderr + shrunk.stdout).toMatch(/is a timeout: a run that never finished is not shrunk/);
  });

  it('is reported in the human report too, and a module that exits while loading is that file error, not race-hunt exiting', async () => {
    const exit = await raceHunt(sandbox.dir, ['run', 'hang.scenario.ts', 'exits-on-load.scenario.ts', '--seed', '3', '--run-timeout', '1s', '--workers', '1']);
    expect(exit.code).toBe(2);
    expect(exit.stdout).toMatch(/timeout violation: the run did not finish within 1 s/);
    expect(exit.stdout).toMatch(/✖ error exits-on-load\.scenario\.ts/);
    expect(exit.stdout).toMatch(/3 scenarios — 1 passed, 1 failed, 1 error\b/);
  });
});

describe('a run that kills its worker', () => {
  it('is reported as a crash with its trace when it runs out of memory, and the other scenarios go on', async () => {
    // The workers' heap limit follows the process's own: a small one makes running out quick.
    const exit = await raceHunt(sandbox.dir, ['run', 'hog.scenario.ts', 'lost-update.scenario.ts', '--seed', '3', '--workers', '2', '--json'], { NODE_OPTIONS: '--max-old-space-size=96' });
    expect(exit.code).toBe(1);
    const [hog, lost] = scenariosOf(exit.stdout);
    expect(hog!.violation!.kind).toBe('crash');
    expect(hog!.violation!.message).toMatch(/ran out of memory \(a worker's heap is limited to \d+ MB/);
    expect(hog!.violation!.trace.at(-1)!.task).toBe('b');
    expect(lost!.violation!.kind).toBe('invariant');
  });
});

describe('process.exit in a task', () => {
  it('is a violation of kind exit with its trace, not the end of race-hunt; catching it does not bring the run back; its replay reproduces it', async () => {
    // Node ends the process there: the producer's push, due after an await, never happens.
    expect(await nodeOracle(join(ORACLE, 'exit-ends-tasks.mjs'))).toBe('exit 0; pushed: false');
    const exit = await raceHunt(sandbox.dir, ['run', 'exits.scenario.ts', 'lost-update.scenario.ts', '--seed', '1', '--json']);
    expect(exit.code).toBe(1);
    const scenarios = scenariosOf(exit.stdout);
    expect(scenarios.map((s) => [s.name, s.violation?.kind])).toEqual([
      ['catches the exit', 'exit'],
      ['shuts down on an empty queue', 'exit'],
      ['lost update', 'invariant'],
    ]);
    const shutdown = scenarios[1]!.violation!;
    expect(shutdown.message).toBe("process.exit(0) was called in task worker: the process would end here, with the other tasks' work unfinished");
    expect(shutdown.trace.at(-1)!.task).toBe('worker');
    const replayed = await raceHunt(sandbox.dir, ['replay', shutdown.failureFile!, '--json']);
    expect(replayed.code).toBe(1);
    expect(scenariosOf(replayed.stdout)[0]!.violation!.message).toBe(shutdown.message);
  });
});

describe('a failure that does not come back', () => {
  it('is run again before it is reported, and reported as nondeterministic with both traces and the likely cause, unshrunk', async () => {
    const exit = await raceHunt(sandbox.dir, ['run', 'module-state.scenario.ts', '--seed', '1', '--workers', '1', '--json']);
    expect(exit.code).toBe(1);
    const [found] = scenariosOf(exit.stdout) as Array<JsonScenario & { violation: { nondeterministic?: { outcome: string; likelyCause: string; secondRun: { trace: unknown[] } }; shrunkFrom?: unknown } }>;
    const nondeterministic = found!.violation.nondeterministic!;
    expect(found!.violation.message).toMatch(/cold cache/);
    expect(nondeterministic.outcome).toBe('passed');
    expect(nondeterministic.likelyCause).toMatch(/^state that outlives a run: a module-level variable/);
    expect(nondeterministic.secondRun.trace.length).toBeGreaterThan(0);
    expect(found!.violation.shrunkFrom).toBeUndefined();

    // A deterministic failure is confirmed and shrunk as before.
    const lost = scenariosOf((await raceHunt(sandbox.dir, ['run', 'lost-update.scenario.ts', '--seed', '1', '--json', '--no-corpus'])).stdout)[0]!;
    expect(lost.violation).not.toHaveProperty('nondeterministic');
    expect(lost.violation).toHaveProperty('shrunkFrom');
  });
});

describe('sharding one scenario', () => {
  it('splits its runs between the shards: every run index is explored by one shard, the 64 calibration runs by each', async () => {
    const shards = [];
    for (const i of [1, 2, 3]) {
      const exit = await raceHunt(sandbox.dir, ['run', 'endless.scenario.ts', '--scenario', 'endless one', '--shard', `${i}/3`, '--runs', '600', '--seed', '5', '--no-corpus', '--json']);
      expect(exit.code).toBe(0);
      shards.push(JSON.parse(exit.stdout) as { shard: { runsSplit?: boolean }; scenarios: JsonScenario[] });
    }
    for (const shard of shards) {
      expect(shard.shard.runsSplit).toBe(true);
      expect(shard.scenarios).toHaveLength(1);
    }
    expect(shards.reduce((sum, shard) => sum + shard.scenarios[0]!.runs, 0)).toBe(600 + 2 * CALIBRATION);
  });
});

describe('workers', () => {
  it('find the same failure in the same run, with the same coverage, whatever their number', async () => {
    const results = [];
    for (const workers of ['1', '2', '3']) {
      const exit = await raceHunt(sandbox.dir, ['run', 'lost-update.scenario.ts', 'endless.scenario.ts', '--seed', '99', '--runs', '400', '--no-shrink', '--no-corpus', '--workers', workers, '--json']);
      expect(exit.code).toBe(1);
      results.push(scenariosOf(exit.stdout).map((s) => ({ name: s.name, status: s.status, runs: s.runs, interleavings: s.interleavings, awaitPairs: s.awaitPairs, schedule: s.violation?.schedule, run: s.violation?.run })));
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});

describe('stopping', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('on %s stops within a second, prints the summary of what was explored as JSON, and exits 130', async (signal) => {
    const child = spawn(process.execPath, [BIN, 'run', 'endless.scenario.ts', '--runs', '100000000', '--workers', '2', '--json'], { cwd: sandbox.dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const signalled = Date.now();
    child.kill(signal);
    const code = await closed;
    // A second on an idle machine; the bound allows for a loaded one.
    expect(Date.now() - signalled).toBeLessThan(3000);
    expect(code).toBe(130);
    const document = JSON.parse(stdout) as { interrupted: boolean; scenarios: JsonScenario[] };
    expect(document.interrupted).toBe(true);
    expect(document.scenarios[0]!.runs).toBeGreaterThan(0);
    expect(document.scenarios[0]!.stopped).toBe('interrupt');
  });

  it('shares --time-budget between the scenarios and says where it stopped them', async () => {
    const exit = await raceHunt(sandbox.dir, ['run', 'endless.scenario.ts', '--time-budget', '2s', '--json']);
    expect(exit.code).toBe(0);
    const scenarios = scenariosOf(exit.stdout);
    expect(scenarios).toHaveLength(2);
    for (const s of scenarios) {
      expect(s.stopped).toBe('time');
      expect(s.runs).toBeGreaterThan(CALIBRATION);
    }
  });

  it('keeps the exit code when the reader of stdout goes away (pipefail sees the violation)', async () => {
    const human = await bash(`set -o pipefail; "${process.execPath}" "${BIN}" run lost-update.scenario.ts endless.scenario.ts --runs 200 | head -1 > /dev/null`);
    expect(human.code).toBe(1);
    const json = await bash(`set -o pipefail; "${process.execPath}" "${BIN}" run lost-update.scenario.ts --json | head -c 5 > /dev/null`);
    expect(json.code).toBe(1);
    expect(human.stderr).not.toMatch(/EPIPE|internal error/);
  });
});

const CALIBRATION = 64;

/** Runs a bash command line in the sandbox (dash, the usual /bin/sh, has no pipefail). */
function bash(commandLine: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', commandLine], { cwd: sandbox.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr: stripAnsi(stderr) }));
  });
}

