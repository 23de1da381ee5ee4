import type { FailureRecord } from '../../src/failures/failure-record.js';

/** A saved failure for tests of what reads or renders one; override what the test is about. */
export function failureRecord(overrides: Partial<FailureRecord> = {}): FailureRecord {
  return {
    format: 'race-hunt-failure/1',
    raceHunt: '0.1.0',
    node: 'v20.20.2',
    createdAt: '2025-01-01T00:00:00.000Z',
    scenario: { file: 'scenarios/bank.scenario.ts', name: 'bank: <two> credits & "more"' },
    exploration: { seed: 42, strategy: 'portfolio', foundBy: 'pct(d=2)', run: 17 },
    options: { maxSteps: 10_000, timers: 'fuzz', instrument: [] },
    violation: { kind: 'invariant', message: 'balance is 1, expected 2' },
    schedule: 'rh1.KgMBAAAAAQE',
    steps: 3,
    preemptions: 1,
    trace: [
      { kind: 'start', task: 'alice' },
      { kind: 'start', task: 'bob', preemption: true },
      { kind: 'resume', task: 'alice', location: 'src/account.ts:2:3' },
    ],
    original: { schedule: 'rh1.KgUBAAAAAQEAAAEA', steps: 9, preemptions: 3 },
    shrink: { minimal: true, cutShort: false, runs: 40 },
    replay: "npx race-hunt replay scenarios/bank.scenario.ts --scenario 'bank' --schedule rh1.KgMBAAAAAQE",
    ...overrides,
  };
}
