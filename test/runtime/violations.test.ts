import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../src/core/report.js';
import { distApi } from '../support/dist-api.js';
import { makeSandbox } from '../support/sandbox.js';
import { locate } from '../support/locate.js';

// Every violation kind, through the real scheduler in this process (the compiled API).
const sandbox = makeSandbox();
afterAll(() => sandbox.remove());
const api = distApi(sandbox.dir);
const KINDS = 'kinds.scenario.ts';
const COUNTER = 'lib/counter.ts';

async function find(scenario: string, options: { maxSteps?: number; runs?: number } = {}): Promise<ScenarioReport> {
  const report = await api.run([KINDS], { scenario, seed: 11, runs: options.runs ?? 300, ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }) });
  expect(report.scenarios).toHaveLength(1);
  const [found] = report.scenarios;
  expect(found!.status, found!.error).toBe('fail');
  return found!;
}

/** Replays a report's schedule and expects the very same violation and trace. */
async function expectReplays(found: ScenarioReport, options: { maxSteps?: number } = {}): Promise<void> {
  const v = found.violation!;
  const replayed = await api.replay(found.file, { scenario: found.name, schedule: v.schedule, ...options });
  const again = replayed.scenarios[0]!;
  expect(again.status, again.error).toBe('fail');
  expect(again.violation!.kind).toBe(v.kind);
  expect(again.violation!.message).toBe(v.message);
  expect(again.violation!.trace).toEqual(v.trace);
}

describe('violation kinds', () => {
  it('invariant: the final check returned false', async () => {
    const found = await find('kind: invariant');
    expect(found.violation).toMatchObject({ kind: 'invariant', message: 'invariant returned false' });
    expect(found.violation!.trace).toEqual([
      { kind: 'start', task: 'only' },
      { kind: 'resume', task: 'only', location: locate(KINDS, 'await Promise.resolve();') },
    ]);
    expect(found.violation!.replay).toBe(`npx race-hunt replay ${KINDS} --scenario 'kind: invariant' --schedule ${found.violation!.schedule}`);
    await expectReplays(found);
  });

  it('always: checked after every step, it fails as soon as both tasks are inside', async () => {
    const found = await find('kind: always');
    expect(found.violation).toMatchObject({ kind: 'always', message: '2 tasks inside the critical section' });
    // Both tasks enter synchronously when they start: the check fails right after the second start.
    expect(found.violation!.trace.map((s) => s.kind)).toEqual(['start', 'start']);
    expect(new Set(found.violation!.trace.map((s) => s.task))).toEqual(new Set(['first', 'second']));
    await expectReplays(found);
  });

  it('exception: a task throws, with the user’s stack', async () => {
    const found = await find('kind: exception (task throws)');
    expect(found.violation).toMatchObject({ kind: 'exception', message: 'task worker failed: boom from worker' });
    expect(found.violation!.stack).toContain(sandbox.path(locate(KINDS, "throw new Error('boom from worker')", 'new')));
    await expectReplays(found);
  });

  it('exception: an unhandled rejection', async () => {
    const found = await find('kind: exception (unhandled rejection)');
    expect(found.violation).toMatchObject({ kind: 'exception', message: 'unhandled rejection: nobody catches this' });
    expect(found.violation!.trace[0]).toEqual({ kind: 'start', task: 'careless' });
    await expectReplays(found);
  });

  it('exception: a timer callback throws; the trace shows the timer step and where it was set', async () => {
    const found = await find('kind: exception (timer throws)');
    expect(found.violation).toMatchObject({ kind: 'exception', message: 'a timer set by arm failed: timer boom' });
    expect(found.violation!.trace).toEqual([
      { kind: 'start', task: 'arm' },
      { kind: 'timer', task: 'arm', location: locate(KINDS, 'setTimeout(() => {', 'setTimeout'), time: 5 },
    ]);
    await expectReplays(found);
  });

  it('deadlock: lists every blocked task and the await it waits at', async () => {
    const found = await find('kind: deadlock');
    const v = found.violation!;
    expect(v.kind).toBe('deadlock');
    expect(v.message).toMatch(/^(forward, backward|backward, forward) wait forever; nothing else can run$/);
    // forward holds `first` and waits for `second`; backward the other way round.
    const blocked = v.blocked ?? [];
    // One entry per task: its innermost wait (inside the lock), via the await in the task that leads there.
    const inLock = locate(COUNTER, 'await new Promise<void>');
    expect(blocked).toHaveLength(2);
    expect(blocked).toContainEqual({ task: 'forward', location: inLock, via: [locate(KINDS, 'await s.second.lock();', 'await', 1)] });
    expect(blocked).toContainEqual({ task: 'backward', location: inLock, via: [locate(KINDS, 'await s.first.lock();', 'await', 2)] });
    await expectReplays(found);
  });

  it('step-limit: a livelock stops after --max-steps steps and as many fair ones, and the replay command carries the limit', async () => {
    const found = await find('kind: step-limit', { maxSteps: 50, runs: 3 });
    const v = found.violation!;
    expect(v.kind).toBe('step-limit');
    expect(v.message).toMatch(/^no end after 100 steps, the last 50 of them scheduled fairly/);
    expect(v.trace).toHaveLength(100);
    const spin = locate(KINDS, 'while (!s.stop) await');
    expect(v.trace.slice(1).every((s) => s.kind === 'resume' && s.location === spin)).toBe(true);
    // Counts read as English at any limit.
    const one = await find('kind: step-limit', { maxSteps: 1, runs: 1 });
    expect(one.violation!.message).toMatch(/^no end after 2 steps, the last one scheduled fairly/);
    expect(v.replay).toMatch(/ --max-steps 50$/);
    await expectReplays(found, { maxSteps: 50 });
  });
});
