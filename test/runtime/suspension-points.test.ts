import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../src/core/report.js';
import { raceHunt } from '../support/cli.js';
import { distApi, FIXTURE_DIR, ROOT } from '../support/dist-api.js';
import { locate } from '../support/locate.js';
import { nodeOracle } from '../support/oracle.js';
import { makeSandbox } from '../support/sandbox.js';

// The suspension points that have no `await` of their own in the source — promise-call callbacks,
// `yield*` steps, `await using` disposal, the steps of a `for await` loop — through the real runtime
// and scheduler (the compiled API).
const sandbox = makeSandbox();
afterAll(() => sandbox.remove());
const api = distApi(sandbox.dir);
const SWITCHES = 'suspension/switch-points.scenario.ts';
const SWITCHES_JS = 'suspension/switch-points.scenario.mjs';

async function only(file: string, options: Parameters<typeof api.run>[1]): Promise<ScenarioReport> {
  const report = await api.run([file], { seed: 5, ...options });
  expect(report.scenarios).toHaveLength(1);
  return report.scenarios[0]!;
}

describe('each form is a scheduling point', () => {
  const cases = [
    ['switch at a then callback', locate(SWITCHES, 'return Promise.resolve(c.value).then(', '(seen)')],
    ['switch at a catch callback', locate(SWITCHES, ".catch(() => { c.value = seen + 1; })", '() =>')],
    ['switch at a finally callback', locate(SWITCHES, '.finally(() => { c.value = seen + 1; })', '() =>')],
    ['switch at a yield* step', locate(SWITCHES, 'yield* nothingMore', 'yield*')],
    ['switch at an await using disposal', locate(SWITCHES, 'await using _lease', 'await')],
  ] as const;

  it('in JavaScript modules too', async () => {
    const report = await api.run([SWITCHES_JS], { seed: 5, strategy: 'dfs', runs: 100 });
    const outcomes = report.scenarios.map((s) => [s.name, s.status, s.violation?.message]);
    expect(outcomes).toHaveLength(4);
    expect(outcomes).toEqual(expect.arrayContaining(cases.slice(0, 4).map(([name]) => [name, 'fail', 'value is 1, expected 2'])));
  });

  for (const [name, location] of cases) {
    it(`${name}: dfs finds the lost update, and the trace resumes there`, async () => {
      const found = await only(SWITCHES, { scenario: name, strategy: 'dfs', runs: 100 });
      expect(found.status, found.error).toBe('fail');
      expect(found.violation!.message).toBe('value is 1, expected 2');
      const resumed = found.violation!.trace.filter((step) => step.kind === 'resume').map((step) => step.location);
      expect(resumed).toContain(location);
      const replayed = await api.replay(SWITCHES, { scenario: name, schedule: found.violation!.schedule });
      expect(replayed.scenarios[0]!.violation!.trace).toEqual(found.violation!.trace);
    });
  }
});

describe('semantics under the scheduler', () => {
  it('then/catch/finally chains, yield* forwarding and await using compute what they compute natively, in every schedule explored', async () => {
    const report = await only('suspension/same-values.scenario.ts', { strategy: 'random', runs: 60 });
    expect(report.violation?.message, report.error).toBeUndefined();
    expect(report.status).toBe('pass');
    expect(report.runs).toBe(60);
    expect(report.interleavings).toBeGreaterThan(10);
  });

  it('dpor sees that the callbacks, delegation steps and disposals of two tasks touch nothing in common', async () => {
    // Through the binary: dpor loads the code in tracking mode, which a process registers once.
    const exit = await raceHunt(sandbox.dir, ['run', 'suspension/independent.scenario.ts', '--strategy', 'dpor', '--json', '--no-corpus']);
    expect(exit.code, exit.stderr).toBe(0);
    const [report] = (JSON.parse(exit.stdout) as { scenarios: { status: string; exhaustive: boolean; schedules: number }[] }).scenarios;
    expect(report).toMatchObject({ status: 'pass', exhaustive: true, schedules: 1 });
  });
});

describe('for await: each step of the loop is a scheduling point', () => {
  const FOR_AWAIT = 'suspension/for-await.scenario.ts';
  const loops = [
    ['for await over an array', 'for await (const _ of [1, 2]);'],
    ['for await over an async iterator', 'for await (const _ of twoValues());'],
  ] as const;

  for (const [name, loop] of loops) {
    it(`${name}: dfs finds the lost update by switching at a step of the loop, and the replay follows it`, async () => {
      const found = await only(FOR_AWAIT, { scenario: name, strategy: 'dfs', runs: 100 });
      expect(found.status, found.error).toBe('fail');
      expect(found.violation!.message).toBe('value is 1, expected 2');
      const trace = found.violation!.trace;
      // The loop is each task's only suspension point: after its start, the task resumes there
      // once per step of the loop (two values, then done).
      const site = locate(FOR_AWAIT, loop, 'for await');
      for (const task of ['a', 'b']) {
        const own = trace.filter((step) => step.task === task).map((step) => [step.kind, step.location]);
        expect(own, task).toEqual([['start', undefined], ['resume', site], ['resume', site], ['resume', site]]);
      }
      // The update is lost because the other task ran between the first one's read (at its start)
      // and its write (at the loop's last step).
      const first = trace[0]!.task;
      const firstAt = trace.flatMap((step, i) => (step.task === first ? [i] : []));
      const otherAt = trace.flatMap((step, i) => (step.task !== first ? [i] : []));
      expect(otherAt.every((i) => i > firstAt[0]! && i < firstAt.at(-1)!), JSON.stringify(trace)).toBe(true);
      const replayed = await api.replay(FOR_AWAIT, { scenario: name, schedule: found.violation!.schedule });
      expect(replayed.scenarios[0]!.violation!.trace).toEqual(trace);
    });
  }

  it('a loop sees the values it sees in plain Node, in order, and a break closes the generator, in every schedule explored', async () => {
    // Node is the oracle: the scenario's invariant expects what the same loops print in plain Node.
    const native = await nodeOracle(join(FIXTURE_DIR, 'suspension/for-await.node.mjs'), ROOT, ['--import', 'tsx']);
    expect(native).toBe('{"a":[1,2,3,0,1],"b":["g1","closed"]}');
    const report = await only(FOR_AWAIT, { scenario: 'for await sees the values in order', strategy: 'random', runs: 100 });
    expect(report.violation?.message, report.error).toBeUndefined();
    expect(report.status).toBe('pass');
    expect(report.runs).toBe(100);
    expect(report.interleavings).toBeGreaterThan(10); // the two loops' steps did interleave
  });
});
