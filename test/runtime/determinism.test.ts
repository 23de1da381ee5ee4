import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report.js';
import { distApi } from '../support/dist-api.js';
import { makeSandbox } from '../support/sandbox.js';

// Determinism through the real scheduler: a reported schedule replays to the very same trace.
const sandbox = makeSandbox();
afterAll(() => sandbox.remove());
const api = distApi(sandbox.dir);
const BUSY = 'busy.scenario.ts';
const LOST = 'lost-update.scenario.ts';

/** A report without its wall-clock timings. */
/** A report without its wall times (the exploration's, and shrinking's). */
const timeless = (report: RunReport): unknown => ({
  ...report,
  scenarios: report.scenarios.map(({ durationMs: _d, violation, ...rest }) => {
    if (violation?.shrinking === undefined) return { ...rest, violation };
    const { durationMs: _s, ...shrinking } = violation.shrinking;
    return { ...rest, violation: { ...violation, shrinking } };
  }),
});

describe('scheduler determinism', () => {
  it('PROPERTY: for any seed, replaying the reported schedule reproduces the reported trace exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), async (seed) => {
        // busy always fails (its invariant returns a message), so every run is reported.
        const found = (await api.run([BUSY], { seed, runs: 1 })).scenarios[0]!;
        expect(found.status, found.error).toBe('fail');
        const v = found.violation!;
        expect(v.trace.length).toBeGreaterThan(10);
        const replayed = (await api.replay(BUSY, { scenario: 'busy', schedule: v.schedule })).scenarios[0]!;
        expect(replayed.status, replayed.error).toBe('fail');
        expect(replayed.violation!.trace).toEqual(v.trace);
        // The message records the interleaving, the virtual clock and Math.random values.
        expect(replayed.violation!.message).toBe(v.message);
        expect(replayed.violation!.schedule).toBe(v.schedule);
      }),
      { numRuns: 25 },
    );
  });

  it('PROPERTY: a race found by any strategy replays exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom('portfolio', 'random', 'pct', 'sites', 'dfs', 'delay'), async (seed, strategy) => {
        const found = (await api.run([LOST], { seed, runs: 300, strategy })).scenarios[0]!;
        expect(found.status, `${strategy} should find the lost update`).toBe('fail');
        const v = found.violation!;
        expect(v.message).toBe('value is 1, expected 2');
        const replayed = (await api.replay(LOST, { scenario: 'lost update', schedule: v.schedule })).scenarios[0]!;
        expect(replayed.violation?.trace).toEqual(v.trace);
      }),
      { numRuns: 15 },
    );
  });

  it('shrinks a found race to a minimal schedule that fails the same way, and that replays exactly', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const raw = (await api.run([LOST], { seed, runs: 300, strategy: 'random', shrink: false })).scenarios[0]!.violation!;
      const shrunk = (await api.run([LOST], { seed, runs: 300, strategy: 'random' })).scenarios[0]!.violation!;
      expect(raw.shrunkFrom).toBeUndefined();
      expect(shrunk.shrunkFrom).toMatchObject({ steps: raw.steps, preemptions: raw.preemptions, schedule: raw.schedule });
      expect(shrunk.message).toBe('value is 1, expected 2');
      // A lost update needs exactly one preemption, and shrinking proves no schedule with fewer fails.
      expect(shrunk.preemptions).toBe(1);
      expect(shrunk.minimal).toBe(true);
      expect(shrunk.preemptions <= raw.preemptions && (shrunk.preemptions < raw.preemptions || shrunk.steps <= raw.steps)).toBe(true);
      expect(shrunk.trace.filter((s) => s.preemption === true)).toHaveLength(1);
      expect(shrunk.trace).toHaveLength(shrunk.steps);
      const replayed = (await api.replay(LOST, { scenario: 'lost update', schedule: shrunk.schedule })).scenarios[0]!;
      expect(replayed.violation!.trace).toEqual(shrunk.trace);
    }
  });

  it('the same seed explores the same schedules: two runs report identically', async () => {
    const a = await api.run([BUSY, LOST], { seed: 2024, runs: 50 });
    const b = await api.run([BUSY, LOST], { seed: 2024, runs: 50 });
    expect(timeless(b)).toEqual(timeless(a));
  });

  it('different seeds explore differently', async () => {
    const messages = new Set<string>();
    for (let seed = 0; seed < 8; seed++) messages.add((await api.run([BUSY], { seed, runs: 1 })).scenarios[0]!.violation!.message);
    expect(messages.size).toBeGreaterThan(3);
  });
});
