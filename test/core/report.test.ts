import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXIT, RaceHuntError } from '../../src/core/errors.js';
import { exitCodeOf } from '../../src/core/report.js';
import type { ScenarioReport } from '../../src/core/report.js';
import { scenarioReport } from '../support/reports.js';

const scenario = (status: ScenarioReport['status']): ScenarioReport => scenarioReport({ name: status, status });

describe('exitCodeOf', () => {
  it('is 0 for no scenarios or only passes, 1 with a failure, 2 with an error', () => {
    expect(exitCodeOf({ seed: 0, scenarios: [] })).toBe(0);
    expect(exitCodeOf({ seed: 0, scenarios: [scenario('pass'), scenario('pass')] })).toBe(0);
    expect(exitCodeOf({ seed: 0, scenarios: [scenario('pass'), scenario('fail')] })).toBe(1);
    expect(exitCodeOf({ seed: 0, scenarios: [scenario('fail'), scenario('error'), scenario('pass')] })).toBe(2);
  });

  it('ranks error > violation > ok whatever the order and number of scenarios', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<ScenarioReport['status']>('pass', 'fail', 'error'), { maxLength: 12 }), (statuses) => {
        const expected = statuses.includes('error') ? EXIT.error : statuses.includes('fail') ? EXIT.violation : EXIT.ok;
        expect(exitCodeOf({ seed: 1, scenarios: statuses.map(scenario) })).toBe(expected);
      }),
    );
  });

  it('uses the documented exit codes', () => {
    expect(EXIT).toEqual({ ok: 0, violation: 1, error: 2, interrupted: 130 });
    const error = new RaceHuntError('BAD_OPTION', 'nope');
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('BAD_OPTION');
    expect(error.name).toBe('RaceHuntError');
    expect(error).toBeInstanceOf(Error);
  });
});
