import { createRequire } from 'node:module';
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

const require = createRequire(import.meta.url);

/** Every property the virtual environment replaces, by name, with its descriptor. */
function patchedProperties(): Map<string, PropertyDescriptor | undefined> {
  const timersPromises = require('node:timers/promises') as Record<string, unknown> & { scheduler: object };
  const owners: [string, object, string[]][] = [
    ['globalThis', globalThis, ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'Date']],
    ['node:timers', require('node:timers') as object, ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate']],
    ['node:timers/promises', timersPromises, ['setTimeout', 'setImmediate', 'setInterval']],
    ['Scheduler.prototype', Object.getPrototypeOf(timersPromises.scheduler) as object, ['wait', 'yield']],
    ['AbortSignal', AbortSignal, ['timeout', 'any']],
    ['Date.prototype', Date.prototype, ['constructor']],
    ['Performance.prototype', Object.getPrototypeOf(performance) as object, ['now', 'timeOrigin']],
    ['performance', performance, ['now', 'timeOrigin']],
    ['process', process, ['uptime', 'hrtime']],
    ['Math', Math, ['random']],
    ['node:crypto', require('node:crypto') as object, ['randomInt', 'randomBytes', 'randomFillSync', 'randomFill', 'randomUUID', 'getRandomValues']],
    ['Crypto.prototype', Object.getPrototypeOf(globalThis.crypto) as object, ['getRandomValues', 'randomUUID']],
    ['crypto', globalThis.crypto, ['getRandomValues', 'randomUUID']],
  ];
  const properties = new Map<string, PropertyDescriptor | undefined>();
  for (const [owner, target, keys] of owners) for (const key of keys) properties.set(`${owner}.${key}`, Object.getOwnPropertyDescriptor(target, key));
  return properties;
}

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

  it('gives the real clock and timers back once the run is over, every property as it was', async () => {
    const before = patchedProperties();
    const RealDate = Date;
    await api.run([TIME], { scenario: 'probe: clock', seed: 1, runs: 1 });
    const after = patchedProperties();
    for (const [name, descriptor] of before) {
      const now = after.get(name);
      expect(now, name).toEqual(descriptor); // the same attributes…
      for (const part of ['value', 'get', 'set'] as const) expect(now?.[part], `${name} (${part})`).toBe(descriptor?.[part]); // …and the same functions
    }
    expect(globalThis.Date).toBe(RealDate);
    expect(Date.prototype.constructor).toBe(RealDate);
    expect(Math.abs(Date.now() - (performance.timeOrigin + performance.now()))).toBeLessThan(5_000);
    expect(new Date().getFullYear()).toBeGreaterThanOrEqual(2025);
  });

  it('the process clocks start where a fresh Node process is (not 0) and move with the virtual clock; Date subclasses read it', async () => {
    const found = (await api.run([TIME], { scenario: 'probe: process clocks', seed: 1, runs: 1 })).scenarios[0]!;
    expect(found.status, found.error).toBe('fail');
    expect(JSON.parse(found.violation!.message)).toEqual({
      setup: { perfNow: 50, timeOrigin: EPOCH - 50, uptime: 0.05, hrtime: [3600, 50_000_000], hrtimeBigint: '3600050000000', subclassDate: 0 },
      later: { perfNow: 60_050, uptime: 60.05, hrtimeSince: [60, 0], date: 60_000, subclassDate: 60_000 },
    });
  });

  it('AbortSignal.timeout, util.promisify(setTimeout) and timers/promises setInterval wait on the virtual clock, at no wall time', async () => {
    const started = performance.now();
    const found = (await api.run([TIME], { scenario: 'probe: virtual waits', seed: 2, runs: 1, timers: 'strict' })).scenarios[0]!;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(found.status, found.error).toBe('fail');
    expect(JSON.parse(found.violation!.message)).toEqual({ aborted: [45_000, 'TimeoutError'], promisified: ['v', 30_000], ticks: [10_000, 20_000, 30_000] });
    const timers = found.violation!.trace.filter((s) => s.kind === 'timer');
    // Each timer step names the user's call that armed it.
    expect(timers.find((t) => t.time === 45_000)?.location).toBe(locate(TIME, 'AbortSignal.timeout(45_000)', 'timeout('));
    expect(timers.find((t) => t.time === 30_000 && t.task === 'promisified')?.location).toBe(locate(TIME, 'promisify(setTimeout)(30_000', ')(30_000'));
  });

  it('timer ids count from 1 in every run: another run, another seed and a replay see the same ids', async () => {
    const ids = async (seed: number): Promise<{ ids: number[]; schedule: string }> => {
      const found = (await api.run([TIME], { scenario: 'probe: timer ids', seed, runs: 1 })).scenarios[0]!;
      return { ids: JSON.parse(found.violation!.message) as number[], schedule: found.violation!.schedule };
    };
    const first = await ids(1);
    expect(first.ids).toEqual([1, 2, 3, 4]);
    expect((await ids(2)).ids).toEqual([1, 2, 3, 4]);
    const replayed = await api.replay(TIME, { scenario: 'probe: timer ids', schedule: first.schedule });
    expect(JSON.parse(replayed.scenarios[0]!.violation!.message)).toEqual([1, 2, 3, 4]);
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
    // A schedule strict mode made does not fit fuzz mode where a due timer meets ready work: fuzz
    // offers the timer as one more option, and the replay stops at that decision.
    const STRICT = 'strict-timer.scenario.ts';
    const strict = (await api.run([STRICT], { seed: 1, runs: 300, timers: 'strict', corpus: false })).scenarios[0]!;
    expect(strict.status).toBe('fail');
    expect(strict.violation!.replay).toMatch(/ --timers strict$/);
    const underStrict = (await api.replay(STRICT, { scenario: strict.name, schedule: strict.violation!.schedule, timers: 'strict' })).scenarios[0]!;
    expect(underStrict.violation!.trace).toEqual(strict.violation!.trace);
    const underFuzz = (await api.replay(STRICT, { scenario: strict.name, schedule: strict.violation!.schedule })).scenarios[0]!;
    expect(underFuzz.status).toBe('error');
    expect(underFuzz.error).toMatch(/diverged from the schedule: at decision \d+ the schedule expects 2 ready options but the run has 3/);
  });
});
