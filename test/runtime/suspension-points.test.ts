import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../src/core/report.js';
import { raceHunt } from '../support/cli.js';
import { distApi } from '../support/dist-api.js';
import { locate } from '../support/locate.js';
import { makeSandbox } from '../support/sandbox.js';

// The suspension points that have no `await` of their own in the source — promise-call callbacks,
// `yield*` steps, `await using` disposal — through the real runtime and scheduler (the compiled API).
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
