import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../src/core/report.js';
import type { Reporter } from '../../src/reporters/reporter.js';
import { distApi } from '../support/dist-api.js';
import { makeSandbox } from '../support/sandbox.js';

// Run semantics through the real scheduler: randomness, spawned work, sync tasks, several
// scenarios per module, --scenario, errors, divergence, and the reporter's events.
const sandbox = makeSandbox();
afterAll(() => sandbox.remove());
const api = distApi(sandbox.dir);
const at = (file: string): string => file;
const only = async (paths: string[], options: Parameters<typeof api.run>[1]): Promise<ScenarioReport> => {
  const report = await api.run(paths, options);
  expect(report.scenarios).toHaveLength(1);
  return report.scenarios[0]!;
};

describe('seeded randomness', () => {
  const RANDOM = at('random.scenario.ts');
  const values = (report: ScenarioReport): unknown[] => JSON.parse(report.violation!.message) as unknown[];

  it('Math.random and crypto.randomUUID are seeded: the same schedule gives the same values', async () => {
    const found = await only([RANDOM], { seed: 8, runs: 1 });
    const drawn = values(found);
    expect(drawn).toHaveLength(6);
    for (const v of drawn.filter((x) => typeof x === 'number')) expect(v >= 0 && v < 1).toBe(true);
    for (const v of drawn.filter((x) => typeof x === 'string')) expect(v).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const replayed = await api.replay(RANDOM, { scenario: 'probe: random', schedule: found.violation!.schedule });
    expect(values(replayed.scenarios[0]!)).toEqual(drawn);
    // And the same exploration seed draws the same again.
    expect(values(await only([RANDOM], { seed: 8, runs: 1 }))).toEqual(drawn);
  });

  it("node:crypto's and Web Crypto's random helpers are seeded too, callbacks included: the same seed, the same values", async () => {
    const CRYPTO = at('crypto.scenario.ts');
    const found = await only([CRYPTO], { seed: 8, runs: 1 });
    const drawn = values(found);
    expect(drawn).toHaveLength(15);
    const replayed = await api.replay(CRYPTO, { scenario: 'probe: crypto', schedule: found.violation!.schedule });
    expect(values(replayed.scenarios[0]!)).toEqual(drawn);
    expect(values(await only([CRYPTO], { seed: 8, runs: 1 }))).toEqual(drawn);
    // Another seed draws differently everywhere (but for the bytes randomFillSync left alone).
    const other = values(await only([CRYPTO], { seed: 9, runs: 1 }));
    const same = drawn.filter((v, i) => JSON.stringify(v) === JSON.stringify(other[i]));
    expect(same).toEqual([]);
    expect(drawn[4]).toMatch(/^00[0-9a-f]{8}00$/); // randomFillSync(buf, 1, 4) fills the middle four bytes only
  });

  it('different seeds draw different values', async () => {
    const a = values(await only([RANDOM], { seed: 1, runs: 1 }));
    const b = values(await only([RANDOM], { seed: 2, runs: 1 }));
    expect(a[0]).not.toEqual(b[0]);
  });
});

describe('what a run waits for', () => {
  it('fire-and-forget promises and un-awaited timers settle before the invariant', async () => {
    const found = await only([at('spawned.scenario.ts')], { scenario: 'spawn: fire and forget', seed: 4, runs: 200 });
    expect(found.status, found.violation?.message ?? found.error).toBe('pass');
    expect(found.runs).toBe(200);
  });

  it('tasks may be plain synchronous functions; their start order is still explored', async () => {
    const found = await only([at('spawned.scenario.ts')], { scenario: 'spawn: sync tasks', seed: 4, runs: 100 });
    expect(found.status, found.violation?.message ?? found.error).toBe('pass');
    expect(found.interleavings).toBe(2);
  });
});

describe('quiescence', () => {
  // The probe that spares a process tick per step must never choose while work is queued.
  it('work queued through promise chains, microtasks, ticks and thenables settles before every choice', async () => {
    for (const strategy of ['random', 'pct', 'dfs'] as const) {
      const report = await only([at('quiescence.scenario.ts')], { runs: 300, seed: 3, strategy });
      expect(report.violation?.message, strategy).toBeUndefined();
      expect(report.status, strategy).toBe('pass');
    }
  });
});

describe('modules with several scenarios, and --scenario', () => {
  const MULTI = at('multi.scenario.ts');
  const names = async (scenario?: string): Promise<string[]> =>
    (await api.run([MULTI], { seed: 1, runs: 2, ...(scenario === undefined ? {} : { scenario }) })).scenarios.map((s) => `${s.status}:${s.name}`);

  it('runs the default export first, then named exports, each scenario once', async () => {
    expect(await names()).toEqual(['pass:alpha', 'pass:alpha beta', 'pass:gamma']);
  });

  it('an exact name wins over substrings; otherwise every name containing the filter runs', async () => {
    expect(await names('alpha')).toEqual(['pass:alpha']);
    expect(await names('beta')).toEqual(['pass:alpha beta']);
    expect(await names('a')).toEqual(['pass:alpha', 'pass:alpha beta', 'pass:gamma']);
    expect(await names('zeta')).toEqual(['error:zeta']);
    const missing = (await api.run([MULTI], { scenario: 'zeta', seed: 1, runs: 1 })).scenarios[0]!;
    expect(missing.error).toMatch(/no scenario named or containing "zeta"/);
  });

  it('replay needs a name that picks exactly one scenario', async () => {
    const ambiguous = (await api.replay(at('kinds.scenario.ts'), { scenario: 'kind: exception', schedule: 'rh1.AAA' })).scenarios[0]!;
    expect(ambiguous.status).toBe('error');
    expect(ambiguous.error).toMatch(/has 3 scenarios matching "kind: exception".*Pass the exact name/);
    const unknown = (await api.replay(MULTI, { scenario: 'zeta', schedule: 'rh1.AAA' })).scenarios[0]!;
    expect(unknown.error).toMatch(/has no scenario named "zeta"; it has "alpha", "alpha beta", "gamma"/);
  });
});

describe('scenarios that cannot run are errors, with the user’s message', () => {
  const error = async (file: string): Promise<string> => {
    const found = await only([at(file)], { seed: 1, runs: 5 });
    expect(found.status).toBe('error');
    return found.error!;
  };

  it('setup or teardown throws', async () => {
    expect(await error('errors/setup-throws.scenario.ts')).toMatch(/^setup of scenario "setup throws" in errors\/setup-throws\.scenario\.ts failed: database is down \(fixture\)/);
    expect(await error('errors/teardown-throws.scenario.ts')).toMatch(/^teardown of scenario "teardown throws" .* failed: cannot close the pool \(fixture\)/);
  });

  it('the module exports no scenario, throws at import, or exports two with one name', async () => {
    expect(await error('errors/no-scenario.ts')).toMatch(/exports no scenario/);
    expect(await error('errors/import-throws.ts')).toMatch(/importing it threw config missing: FIXTURE_FLAG \(at errors\/import-throws\.ts:3:\d+\)/);
    expect(await error('errors/duplicate-names.scenario.ts')).toMatch(/exports two scenarios named "same name" \(exports one and two\)/);
  });

  it('a path that does not exist', async () => {
    expect(await error('nope.scenario.ts')).toMatch(/nope\.scenario\.ts does not exist/);
  });
});

describe('the corpus of saved failures', () => {
  it('saves every failure and replays saved failures first, whatever the seed', async () => {
    const first = await only([at('lost-update.scenario.ts')], { seed: 3, runs: 300, corpus: true });
    const saved = first.violation!.failureFile!;
    expect(saved).toMatch(/^\.race-hunt\/failures\/lost-update-[0-9a-f]{8}\.json$/);
    const record = JSON.parse(readFileSync(sandbox.path(saved), 'utf8')) as { format: string; schedule: string; scenario: { file: string; name: string } };
    expect(record).toMatchObject({ format: 'race-hunt-failure/1', schedule: first.violation!.schedule, scenario: { file: 'lost-update.scenario.ts', name: 'lost update' } });

    const again = await only([at('lost-update.scenario.ts')], { seed: 99, runs: 300, corpus: true });
    expect(again.status).toBe('fail');
    expect(again.violation!.run).toBe(1);
    expect(again.violation!.foundBy).toMatch(/^corpus \(\.race-hunt\/failures\/lost-update-[0-9a-f]{8}\.json\)$/);
    const replayedRecord = JSON.parse(readFileSync(sandbox.path(again.violation!.failureFile!), 'utf8')) as { schedule: string };
    expect(again.violation!.schedule).toBe(replayedRecord.schedule);
    // A passing scenario has no corpus: it explores as usual.
    const pass = await only([at('pass.scenario.ts')], { seed: 99, runs: 50, corpus: true });
    expect(pass).toMatchObject({ status: 'pass', runs: 50, corpus: { replayed: 0, fixed: [], stale: [] } });
  });
});

describe('replay that no longer follows its schedule', () => {
  it('says where it diverged', async () => {
    const lost = (await api.run([at('lost-update.scenario.ts')], { seed: 3, runs: 300 })).scenarios[0]!;
    const diverged = (await api.replay(at('busy.scenario.ts'), { scenario: 'busy', schedule: lost.violation!.schedule })).scenarios[0]!;
    expect(diverged.status).toBe('error');
    expect(diverged.error).toMatch(/diverged from the schedule: at decision \d+ the schedule expects \d+ ready options but the run has \d+/);
  });

  it('says so when the schedule is used up early or runs out', async () => {
    const busy = (await api.run([at('busy.scenario.ts')], { seed: 3, runs: 1 })).scenarios[0]!;
    const { encodeSchedule, decodeSchedule } = await import('../../src/core/schedule.js');
    const full = decodeSchedule(busy.violation!.schedule);
    const short = encodeSchedule({ ...full, decisions: full.decisions.slice(0, 2) });
    const tooShort = (await api.replay(at('busy.scenario.ts'), { scenario: 'busy', schedule: short })).scenarios[0]!;
    expect(tooShort.error).toMatch(/the schedule has 2 decisions but the run reached decision 3/);
    const long = encodeSchedule({ ...full, decisions: [...full.decisions, { choice: 0, of: 2 }] });
    const tooLong = (await api.replay(at('busy.scenario.ts'), { scenario: 'busy', schedule: long })).scenarios[0]!;
    expect(tooLong.error).toMatch(new RegExp(`the run ended after ${full.decisions.length} decisions but the schedule has ${full.decisions.length + 1}`));
  });
});

describe('reporter events', () => {
  function recorder(): Reporter & { events: string[] } {
    const events: string[] = [];
    return {
      events,
      onRunStart: (info) => events.push(`run-start:${info.mode}`),
      onScenarioStart: (info) => events.push(`start:${info.name}`),
      onScenarioEnd: (report) => events.push(`end:${report.name}:${report.status}`),
      onRunEnd: (report) => events.push(`run-end:${report.scenarios.length}`),
    };
  }

  it('hears each scenario start and end once, in order', async () => {
    const reporter = recorder();
    await api.run([at('multi.scenario.ts'), at('errors/no-scenario.ts')], { seed: 1, runs: 2, reporter });
    expect(reporter.events).toEqual([
      'run-start:run',
      'start:alpha',
      'end:alpha:pass',
      'start:alpha beta',
      'end:alpha beta:pass',
      'start:gamma',
      'end:gamma:pass',
      'end::error',
      'run-end:4',
    ]);
  });

  it('replay reports a diverged scenario once', async () => {
    const reporter = recorder();
    await api.replay(at('busy.scenario.ts'), { scenario: 'busy', schedule: 'rh1.AAA', reporter });
    expect(reporter.events).toEqual(['run-start:replay', 'start:busy', 'end:busy:error', 'run-end:1']);
  });
});
