import type { ScenarioReport, ViolationReport } from '../../src/core/report.js';
import { NOTHING_UNCONTROLLED } from '../../src/core/uncontrolled.js';

/** A scenario report for reporter tests; override what the test is about. */
export function scenarioReport(overrides: Partial<ScenarioReport> = {}): ScenarioReport {
  return {
    file: 'scenarios/a.scenario.ts',
    name: 'a scenario',
    status: 'pass',
    runs: 1000,
    strategy: 'portfolio',
    interleavings: 12,
    awaitPairs: 7,
    saturated: false,
    verification: [],
    uncontrolled: NOTHING_UNCONTROLLED,
    durationMs: 1234,
    ...overrides,
  };
}

/** A violation report for reporter tests. */
export function violationReport(overrides: Partial<ViolationReport> = {}): ViolationReport {
  return {
    kind: 'invariant',
    message: 'balance is 1, expected 2',
    schedule: 'rh1.AQIDBA',
    trace: [
      { kind: 'start', task: 'alice' },
      { kind: 'resume', task: 'alice', location: 'src/account.ts:2:3' },
      { kind: 'start', task: 'bob' },
    ],
    steps: 3,
    preemptions: 1,
    run: 17,
    foundBy: 'pct(d=2)',
    replay: "npx race-hunt replay scenarios/a.scenario.ts --scenario 'a scenario' --schedule rh1.AQIDBA",
    ...overrides,
  };
}
