import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunSettings } from '../../src/config/run-settings.js';
import { mergeSettings, outputFileReporter, SETTING_KEYS } from '../../src/config/run-settings.js';
import { STRATEGY_NAMES } from '../../src/strategies/registry.js';

const reporterName = fc.constantFrom('terminal', 'json', 'junit', 'github');
const whole = fc.integer({ min: 0, max: 100_000 });

/** Any subset of the settings, each with a value of its type. */
const partialSettings: fc.Arbitrary<Partial<RunSettings>> = fc.record(
  {
    runs: whole,
    strategy: fc.constantFrom(...STRATEGY_NAMES),
    depth: whole,
    preemptions: whole,
    delays: whole,
    maxSteps: whole,
    timers: fc.constantFrom('fuzz' as const, 'strict' as const),
    instrument: fc.array(fc.constantFrom('async-mutex', '@acme/*', 'kv')),
    shrinkTime: whole,
    reporter: fc.uniqueArray(reporterName, { minLength: 1 }),
    outputFile: fc.array(fc.tuple(reporterName, fc.constantFrom('a.xml', 'out/b.json')).map(([r, f]) => `${r}=${f}`), { minLength: 1 }),
    workers: whole,
    runTimeout: whole,
    timeBudget: whole,
  },
  { requiredKeys: [] },
);

const sources = fc.record({ commandLine: partialSettings, config: partialSettings, defaults: partialSettings });

describe('mergeSettings', () => {
  it('a flag given on the command line always wins', () => {
    fc.assert(
      fc.property(sources, ({ commandLine, config, defaults }) => {
        const merged = mergeSettings(commandLine, config, defaults);
        for (const key of SETTING_KEYS) if (commandLine[key] !== undefined) expect(merged[key]).toEqual(commandLine[key]);
      }),
    );
  });

  it('an option not given takes the config’s value, else the default', () => {
    fc.assert(
      fc.property(sources, ({ commandLine, config, defaults }) => {
        const merged = mergeSettings(commandLine, config, defaults);
        for (const key of SETTING_KEYS) {
          if (commandLine[key] !== undefined || key === 'outputFile') continue;
          if (config[key] !== undefined) expect(merged[key]).toEqual(config[key]);
          else if (defaults[key] !== undefined) expect(merged[key]).toEqual(defaults[key]);
          else expect(key in merged).toBe(false);
        }
      }),
    );
  });

  it('the config’s output files follow the reporters the run uses; the command line’s replace them', () => {
    fc.assert(
      fc.property(sources, ({ commandLine, config, defaults }) => {
        const merged = mergeSettings(commandLine, config, defaults);
        if (commandLine.outputFile !== undefined) {
          expect(merged.outputFile).toEqual(commandLine.outputFile);
          return;
        }
        const reporters = merged.reporter ?? [];
        const kept = (config.outputFile ?? []).filter((word) => reporters.includes(outputFileReporter(word)));
        expect(merged.outputFile).toEqual(kept.length > 0 ? kept : defaults.outputFile);
      }),
    );
  });

  it('with nothing on the command line and no config, is the defaults', () => {
    fc.assert(
      fc.property(partialSettings, (defaults) => {
        expect(mergeSettings({}, {}, defaults)).toEqual(defaults);
      }),
    );
  });

  it('keeps the config’s junit file when the command line picks reporters that include junit', () => {
    const merged = mergeSettings({ reporter: ['terminal', 'junit'] }, { reporter: ['junit'], outputFile: ['junit=ci/r.xml'] }, { reporter: ['terminal'] });
    expect(merged).toEqual({ reporter: ['terminal', 'junit'], outputFile: ['junit=ci/r.xml'] });
    expect(mergeSettings({ reporter: ['json'] }, { reporter: ['junit'], outputFile: ['junit=ci/r.xml'] }, {})).toEqual({ reporter: ['json'] });
  });
});
