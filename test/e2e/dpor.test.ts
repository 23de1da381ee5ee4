import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { raceHunt, shell } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// `--strategy dpor` through the real binary: the loader tracks memory accesses, the runtime
// records each step's footprint, and the search runs one schedule per class of equivalent ones.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
});
afterAll(() => sandbox.remove());
const race = (...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, args);

interface JsonScenario {
  name: string;
  status: string;
  runs: number;
  exhaustive?: boolean;
  bound?: number | null;
  schedules?: number;
  violation?: { message: string; foundBy: string; replay: string };
}

async function json(...args: string[]): Promise<{ code: number | null; scenarios: JsonScenario[]; stderr: string }> {
  const exit = await race(...args, '--json', '--no-shrink', '--no-corpus');
  return { code: exit.code, scenarios: (JSON.parse(exit.stdout) as { scenarios: JsonScenario[] }).scenarios, stderr: exit.stderr };
}

describe('race-hunt run --strategy dpor', () => {
  it('verifies tasks that share nothing with one schedule, where dfs runs every order', async () => {
    const dpor = await json('run', 'dpor/independent.scenario.ts', '--strategy', 'dpor');
    expect(dpor.code, dpor.stderr).toBe(0);
    expect(dpor.scenarios[0]).toMatchObject({ status: 'pass', exhaustive: true, bound: null, schedules: 1, runs: 1 });

    const dfs = await json('run', 'dpor/independent.scenario.ts', '--strategy', 'dfs', '--preemptions', '64');
    expect(dfs.code, dfs.stderr).toBe(0);
    expect(dfs.scenarios[0]!.exhaustive).toBe(true);
    expect(dfs.scenarios[0]!.schedules).toBeGreaterThan(100);
  });

  it('says what it verified, in words', async () => {
    const { code, stdout } = await race('run', 'dpor/independent.scenario.ts', '--strategy', 'dpor');
    expect(code).toBe(0);
    expect(stdout).toContain('verified by dpor: every schedule satisfies the invariants (1 run, one per class of schedules that differ only in the order of independent steps)');
  });

  it('keeps the orders of the steps that conflict, and drops the rest', async () => {
    const dpor = await json('run', 'dpor/shared.scenario.ts', '--strategy', 'dpor', '--scenario', 'locked deposits');
    const dfs = await json('run', 'dpor/shared.scenario.ts', '--strategy', 'dfs', '--preemptions', '64', '--scenario', 'locked deposits');
    expect(dpor.code, dpor.stderr).toBe(0);
    expect(dfs.code, dfs.stderr).toBe(0);
    const [reduced, full] = [dpor.scenarios[0]!, dfs.scenarios[0]!];
    expect(reduced.exhaustive && full.exhaustive).toBe(true);
    expect(reduced.schedules).toBeGreaterThan(1);
    expect(reduced.schedules! * 5).toBeLessThan(full.schedules!);
  });

  it('finds a race through every kind of access it tracks, and the replay reproduces it without tracking', async () => {
    const { code, scenarios, stderr } = await json('run', 'dpor/races.scenario.ts', '--strategy', 'dpor');
    expect(code, stderr).toBe(1);
    const missed = scenarios.filter((s) => s.status !== 'fail').map((s) => s.name);
    expect(missed, 'races dpor did not find').toEqual([]);
    expect(scenarios).toHaveLength(10);
    for (const s of scenarios) expect(s.violation!.foundBy).toBe('dpor');

    const found = scenarios.find((s) => s.name === 'private field')!;
    const replay = await shell(sandbox.dir, found.violation!.replay);
    expect(replay.code, replay.stdout + replay.stderr).toBe(1);
    expect(replay.stdout).toContain('balance is -1');
  });

  it('finds the lost update among deposits when nothing else is shared', async () => {
    const { code, scenarios } = await json('run', 'dpor/shared.scenario.ts', '--strategy', 'dpor', '--scenario', 'unlocked deposits');
    expect(code).toBe(1);
    expect(scenarios[0]!.violation!.message).toMatch(/balance is [12], expected 3/);
  });

  it('never calls a space cut short by --runs verified', async () => {
    const { code, scenarios } = await json('run', 'dpor/shared.scenario.ts', '--strategy', 'dpor', '--scenario', 'locked deposits', '--runs', '2');
    expect(code).toBe(0);
    expect(scenarios[0]).toMatchObject({ exhaustive: false, runs: 2 });
  });
});
