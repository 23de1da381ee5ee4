import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { internalFrames, raceHunt } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// Exit 2: every way a run can fail to run, each with one paragraph a user can act on and
// never a stack trace of race-hunt's internals.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
  // Written at test time: a file that does not parse cannot live among the linted fixtures.
  writeFileSync(sandbox.path('syntax.scenario.ts'), "import { scenario } from 'race-hunt';\n\nconst = 2;\nexport default scenario('x', { tasks: { a: () => {} } });\n");
  mkdirSync(sandbox.path('mts'));
  writeFileSync(sandbox.path('mts/syntax.scenario.mts'), "export const a = 1;\n\nconst = 2;\n");
});
afterAll(() => sandbox.remove());
const race = (...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, args);

/** Asserts exit 2 with `message` in the output (stdout for scenario errors, stderr for usage errors), and no internal frames. */
function expectError(result: Exit, message: RegExp): void {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(2);
  expect(`${result.stdout}\n${result.stderr}`).toMatch(message);
  expect(internalFrames(`${result.stdout}\n${result.stderr}`)).toEqual([]);
  expect(result.stderr).not.toMatch(/internal error|race-hunt failed unexpectedly/);
}

describe('race-hunt run: scenarios that cannot run (exit 2)', () => {
  it('missing file, no scenario exported, setup throws, import throws, unknown scenario name', async () => {
    const [missing, none, setup, atImport, unknown] = await Promise.all([
      race('run', 'nope.scenario.ts'),
      race('run', 'errors/no-scenario.ts'),
      race('run', 'errors/setup-throws.scenario.ts', '--runs', '5'),
      race('run', 'errors/import-throws.ts'),
      race('run', 'multi.scenario.ts', '--scenario', 'zeta'),
    ]);
    expectError(missing, /✖ error nope\.scenario\.ts\n {2}nope\.scenario\.ts does not exist\. Check the path/);
    expectError(none, /errors\/no-scenario\.ts exports no scenario\. Export one made with scenario\(\) from 'race-hunt'/);
    expectError(setup, /✖ error setup throws errors\/setup-throws\.scenario\.ts\n {2}setup of scenario "setup throws" .* failed: database is down \(fixture\)/);
    expectError(atImport, /could not load errors\/import-throws\.ts: importing it threw config missing: FIXTURE_FLAG \(at errors\/import-throws\.ts:3:\d+\)/);
    expectError(unknown, /no scenario named or containing "zeta" in multi\.scenario\.ts/);
  });

  it('a syntax error names the file and the line', async () => {
    expectError(await race('run', 'syntax.scenario.ts'), /could not load syntax\.scenario\.ts: syntax error at syntax\.scenario\.ts:3:\d+: /);
  });

  // Was a bug: a syntax error in a .mts module is reported at the wrong file: "syntax error at
  // mts/syntax.scenario.ts:3:6" for mts/syntax.scenario.mts (the extension becomes .ts), a file
  // that does not exist.
  it('a syntax error in a .mts module names that .mts file', async () => {
    expectError(await race('run', 'mts/syntax.scenario.mts'), /syntax error at mts\/syntax\.scenario\.mts:3:\d+/);
  });

  it('bad option values are usage errors on stderr', async () => {
    const [runs, timers, seed] = await Promise.all([
      race('run', 'pass.scenario.ts', '--runs', 'abc'),
      race('run', 'pass.scenario.ts', '--timers', 'bogus'),
      race('run', 'pass.scenario.ts', '--seed', '-1'),
    ]);
    expectError(runs, /--runs.*'abc' is invalid/);
    expectError(timers, /--timers.*'bogus' is invalid\. Allowed choices are fuzz, strict/);
    expectError(seed, /--seed/);
    for (const r of [runs, timers, seed]) expect(r.stdout).toBe('');
  });
});

describe('race-hunt replay: schedules that do not fit (exit 2)', () => {
  it('a token from another scenario diverges, naming the decision; a cut or garbled token cannot be read', async () => {
    const found = await race('run', 'lost-update.scenario.ts', '--seed', '5', '--runs', '300', '--json');
    const token = (JSON.parse(found.stdout) as { scenarios: { violation: { schedule: string } }[] }).scenarios[0]!.violation.schedule;
    const [other, cut, garbled, unknownName] = await Promise.all([
      race('replay', 'busy.scenario.ts', '--scenario', 'busy', '--schedule', token),
      race('replay', 'lost-update.scenario.ts', '--scenario', 'lost update', '--schedule', token.slice(0, -3)),
      race('replay', 'lost-update.scenario.ts', '--scenario', 'lost update', '--schedule', `${token.slice(0, 8)}$!${token.slice(8)}`),
      race('replay', 'lost-update.scenario.ts', '--scenario', 'nope', '--schedule', token),
    ]);
    expectError(other, /the replay of "busy" in busy\.scenario\.ts diverged from the schedule: at decision \d+ the schedule expects \d+ ready options but the run has \d+/);
    expect(other.stdout.match(/✖ error/g)).toHaveLength(1);
    expectError(cut, /race-hunt: the schedule ".*" cannot be read: the schedule token is cut short/);
    expectError(garbled, /race-hunt: the schedule ".*" cannot be read: a schedule token holds only/);
    expectError(unknownName, /lost-update\.scenario\.ts has no scenario named "nope"; it has "lost update"/);
  });
});
