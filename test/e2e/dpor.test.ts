import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { raceHunt, shell, traceLines } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import { locate } from '../support/locate.js';
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
  violation?: { message: string; foundBy: string; replay: string; trace: { task: string; kind: string; location?: string }[] };
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

  it('sees what a built-in method call does: finds races through Map and Array methods alone, and keeps calls on objects of their own apart', async () => {
    const FILE = 'dpor/method-calls.scenario.ts';
    const { code, scenarios, stderr } = await json('run', FILE, '--strategy', 'dpor');
    expect(code, stderr).toBe(1);
    const by = new Map(scenarios.map((s) => [s.name, s]));
    expect(by.get('maps of their own')).toMatchObject({ status: 'pass', exhaustive: true, schedules: 1 });
    // `await tick();` is the 1st (a) and 2nd (b) await of the file's first scenario, the 3rd and 4th of its second.
    for (const [name, message, firstAwait] of [
      ['map get then set', 'hits is 1', 1],
      ['array at then push', 'versions 0,1,1', 3],
    ] as const) {
      const found = by.get(name)!;
      expect(found.status, name).toBe('fail');
      expect(found.violation).toMatchObject({ message, foundBy: 'dpor' });
      // Each task resumes at its own await, and the second task's read (at its start) falls
      // between the first's read and its write: the order in which the method calls conflict.
      const trace = found.violation!.trace;
      const tick = (task: string): string => locate(FILE, 'await tick();', 'await', firstAwait + (task === 'a' ? 0 : 1));
      const [first, second] = [trace[0]!.task, trace[1]!.task];
      expect(first).not.toBe(second);
      expect(trace.map((step) => [step.task, step.kind, step.location])).toEqual([
        [first, 'start', undefined],
        [second, 'start', undefined],
        [second, 'resume', tick(second)],
        [first, 'resume', tick(first)],
      ]);
      const replayed = await shell(sandbox.dir, found.violation!.replay);
      expect(replayed.code, replayed.stdout + replayed.stderr).toBe(1);
      expect(replayed.stdout).toContain(`invariant violation: ${message}`);
      expect(traceLines(replayed.stdout)).toHaveLength(4);
    }
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
