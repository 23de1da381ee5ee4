import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/config/check-config.js';
import { RaceHuntError } from '../../src/core/errors.js';

const place = { shown: 'race-hunt.config.ts', dir: '/project', cwd: '/project' };

function problemOf(exported: unknown, where = place): RaceHuntError {
  try {
    checkConfig(exported, where);
  } catch (error) {
    if (error instanceof RaceHuntError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(exported)}`);
}

describe('checkConfig', () => {
  it('turns every option into its command-line form', () => {
    const checked = checkConfig(
      {
        include: ['scenarios/**/*.scenario.ts'],
        runs: 500,
        strategy: 'dfs',
        depth: 2,
        preemptions: 3,
        delays: 0,
        maxSteps: 5000,
        timers: 'strict',
        instrument: ['async-mutex'],
        shrinkTime: '30s',
        reporters: ['terminal', ['junit', { outputFile: 'reports/race-hunt.xml' }], ['json', {}]],
        workers: 2,
        runTimeout: 5000,
        timeBudget: '20m',
      },
      place,
    );
    expect(checked).toEqual({
      shown: 'race-hunt.config.ts',
      dir: '/project',
      include: ['scenarios/**/*.scenario.ts'],
      settings: {
        runs: 500,
        strategy: 'dfs',
        depth: 2,
        preemptions: 3,
        delays: 0,
        maxSteps: 5000,
        timers: 'strict',
        instrument: ['async-mutex'],
        shrinkTime: 30_000,
        reporter: ['terminal', 'junit', 'json'],
        outputFile: ['junit=reports/race-hunt.xml'],
        workers: 2,
        runTimeout: 5000,
        timeBudget: 1_200_000,
      },
    });
  });

  it('reads an output file relative to the config’s folder, and gives it relative to the working directory', () => {
    const nested = { shown: 'ci/race-hunt.config.ts', dir: '/project/ci', cwd: '/project' };
    expect(checkConfig({ reporters: [['junit', { outputFile: 'out.xml' }]] }, nested).settings.outputFile).toEqual(['junit=ci/out.xml']);
    expect(checkConfig({ reporters: [['junit', { outputFile: '/tmp/out.xml' }]] }, nested).settings.outputFile).toEqual(['junit=/tmp/out.xml']);
  });

  it('takes an empty config, and keys set to undefined, as no settings', () => {
    expect(checkConfig({}, place)).toEqual({ shown: 'race-hunt.config.ts', dir: '/project', settings: {} });
    expect(checkConfig({ runs: undefined }, place).settings).toEqual({});
  });

  it('names the file and suggests the key meant for an unknown key', () => {
    const error = problemOf({ shrinkTimeMs: 5000 });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^race-hunt\.config\.ts: unknown key "shrinkTimeMs" \(did you mean "shrinkTime"\?\)\. A config may set include, runs, strategy/);
    expect(problemOf({ Strategy: 'dfs' }).message).toContain('(did you mean "strategy"?)');
    expect(problemOf({ seed: 1 }).message).toMatch(/unknown key "seed"\. A config may set/);
  });

  it('says what the default export must be when it is no object', () => {
    for (const exported of [undefined, null, 3, 'dfs', [], () => ({})]) {
      const error = problemOf(exported);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toMatch(/^race-hunt\.config\.ts: its default export must be the options object, `export default defineConfig\(/);
    }
  });

  it.each([
    [{ runs: 0 }, '"runs" must be a whole number of at least 1; it is 0.'],
    [{ runs: '5' }, '"runs" must be a whole number of at least 1; it is "5".'],
    [{ depth: 65 }, '"depth" must be a whole number from 1 to 64; it is 65.'],
    [{ strategy: 'genius' }, `"strategy" must be one of 'portfolio', 'random', 'pct', 'sites', 'dfs', 'delay', 'dpor'; it is "genius".`],
    [{ timers: true }, `"timers" must be one of 'fuzz', 'strict'; it is true.`],
    [{ shrinkTime: '10 seconds' }, '"shrinkTime" must be a duration'],
    [{ runTimeout: 0 }, '"runTimeout" must be a duration: a string such as \'500ms\', \'10s\' or \'20m\', or a number of milliseconds above 0; it is 0.'],
    [{ include: 'scenarios' }, '"include" must be a list of globs or paths of scenario files (strings); it is "scenarios".'],
    [{ include: [] }, '"include" must be a list of globs or paths of scenario files, not an empty one'],
    [{ instrument: [3] }, '"instrument" must be a list of package names'],
    [{ reporters: 'junit' }, '"reporters" must be a list of reporters'],
    [{ reporters: ['terminal', 'xml'] }, `"reporters[1]" must be a reporter: a name ('terminal', 'json', 'junit', 'github') or [name, { outputFile: 'path' }]; it is "xml".`],
    [{ reporters: [['junit', { output: 'x.xml' }]] }, '"reporters[0]" must be a reporter'],
    [{ reporters: [['junit', { outputFile: '' }]] }, '"reporters[0]" must be a reporter'],
    [{ workers: 1.5 }, '"workers" must be a whole number of at least 0; it is 1.5.'],
  ])('rejects %j naming the file and the key', (exported, message) => {
    const error = problemOf(exported);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.startsWith(`race-hunt.config.ts: ${message}`), error.message).toBe(true);
    expect(error.message).toMatch(/ Fix race-hunt\.config\.ts and run again\.$/);
    expect(error.message).not.toContain('\n');
  });

  it('rejects a value of the wrong type for every key, naming that key', () => {
    const keys = ['include', 'runs', 'strategy', 'depth', 'preemptions', 'delays', 'maxSteps', 'timers', 'instrument', 'shrinkTime', 'reporters', 'workers', 'runTimeout', 'timeBudget'];
    const wrong = fc.oneof(fc.boolean(), fc.object(), fc.constant(null), fc.constant(-1), fc.constant(Number.NaN), fc.constant('  '));
    fc.assert(
      fc.property(fc.constantFrom(...keys), wrong, (key, value) => {
        const error = problemOf({ [key]: value });
        expect(error.code).toBe('CONFIG_INVALID');
        expect(error.message).toContain(`race-hunt.config.ts: "${key}`);
      }),
    );
  });
});
