import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { distApi } from '../support/dist-api.js';
import { makeSandbox } from '../support/sandbox.js';
import { locate } from '../support/locate.js';

// Virtual time, through the real scheduler.
const sandbox = makeSandbox();
afterAll(() => sandbox.remove());
const api = distApi(sandbox.dir);
const TIME = 'time.scenario.ts';
const EPOCH = Date.UTC(2025, 0, 1);

describe('virtual time', () => {
  it('a 90-second sleep costs no wall time; setup and tasks read the virtual clock', async () => {
    const started = performance.now();
    const report = await api.run([TIME], { scenario: 'probe: clock', seed: 1, runs: 1 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(5_000);
    const found = report.scenarios[0]!;
    expect(found.status, found.error).toBe('fail'); // the probe fails on purpose: its message is what it saw
    expect(JSON.parse(found.violation!.message)).toEqual({
      setupNow: EPOCH,
      setupIso: '2025-01-01T00:00:00.000Z',
      afterSleep: EPOCH + 60_000,
      afterPromiseSleep: EPOCH + 90_000,
    });
    const timers = found.violation!.trace.filter((s) => s.kind === 'timer');
    expect(timers.map((t) => t.time)).toEqual([60_000, 90_000]);
    // A timer step names where the timer was set: inside the user's helper, and at the timers/promises call.
    expect(timers.map((t) => t.location)).toEqual([
      locate('lib/counter.ts', 'setTimeout(resolve, ms)', 'setTimeout'),
      locate(TIME, 'await sleepPromise(30_000)', 'sleepPromise'),
    ]);
  });

  it('gives the real clock and timers back once the run is over', async () => {
    const realSetTimeout = globalThis.setTimeout;
    await api.run([TIME], { scenario: 'probe: clock', seed: 1, runs: 1 });
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(Math.abs(Date.now() - (performance.timeOrigin + performance.now()))).toBeLessThan(5_000);
    expect(new Date().getFullYear()).toBeGreaterThanOrEqual(2025);
  });

  it('fires timers in deadline order, never before their deadline, under both timer modes', async () => {
    for (const timers of ['fuzz', 'strict'] as const) {
      const found = (await api.run([TIME], { scenario: 'time: deadline order', seed: 5, runs: 400, timers })).scenarios[0]!;
      expect(found.status, `${timers}: ${found.violation?.message ?? found.error}`).toBe('pass');
      expect(found.runs).toBe(400);
    }
  });

  it('--timers fuzz lets the loop wake late, past a later deadline; --timers strict fires each timer on time', async () => {
    const fuzz = (await api.run([TIME], { scenario: 'time: on time', seed: 5, runs: 300, timers: 'fuzz', shrink: false })).scenarios[0]!;
    expect(fuzz.status).toBe('fail');
    expect(fuzz.violation!.message).toBe('100ms timer ran at +200ms');
    expect(fuzz.violation!.trace.filter((s) => s.kind === 'timer').map((s) => s.time)).toEqual([300, 300]);
    const strict = (await api.run([TIME], { scenario: 'time: on time', seed: 5, runs: 300, timers: 'strict' })).scenarios[0]!;
    expect(strict.status, strict.violation?.message).toBe('pass');
  });

  it('setInterval ticks on the virtual clock until cleared', async () => {
    const found = (await api.run([TIME], { scenario: 'time: interval', seed: 5, runs: 20 })).scenarios[0]!;
    expect(found.status, found.violation?.message).toBe('pass');
  });

  it('--timers fuzz may fire a timer before ready work; --timers strict only when nothing else is ready', async () => {
    const fuzz = (await api.run([TIME], { scenario: 'time: timer after the work', seed: 5, runs: 300, timers: 'fuzz' })).scenarios[0]!;
    expect(fuzz.status).toBe('fail');
    expect(fuzz.violation!.message).toMatch(/^timer fired early: /);
    const timerStep = fuzz.violation!.trace.find((s) => s.kind === 'timer');
    expect(timerStep).toMatchObject({ kind: 'timer', task: 'worker', location: locate(TIME, "setTimeout(() => s.log.push('timer'), 0)", 'setTimeout'), time: 1 });

    const strict = (await api.run([TIME], { scenario: 'time: timer after the work', seed: 5, runs: 300, timers: 'strict' })).scenarios[0]!;
    expect(strict.status, strict.violation?.message).toBe('pass');
    expect(strict.runs).toBe(300);
  });

  it('the replay command of a strict-mode finding carries --timers strict, and replays only under it', async () => {
    const found = (await api.run([TIME], { scenario: 'probe: clock', seed: 3, runs: 1, timers: 'strict' })).scenarios[0]!;
    expect(found.violation!.replay).toMatch(/ --timers strict$/);
    const replayed = (await api.replay(TIME, { scenario: 'probe: clock', schedule: found.violation!.schedule, timers: 'strict' })).scenarios[0]!;
    expect(replayed.violation!.trace).toEqual(found.violation!.trace);
  });
});
