import { describe, expect, it } from 'vitest';
import { jsonDocument, jsonReporter } from '../../src/reporters/json.js';
import { scenarioReport, violationReport } from '../support/reports.js';

describe('jsonDocument', () => {
  it('lists every scenario with its status, and a violation with its schedule, replay and trace', () => {
    const report = {
      seed: 42,
      scenarios: [
        scenarioReport({ name: 'passes' }),
        scenarioReport({
          name: 'fails',
          status: 'fail',
          violation: violationReport({
            trace: [
              { kind: 'start', task: 'alice' },
              { kind: 'timer', task: 'bob', location: 'a.ts:9:1', time: 50 },
            ],
            blocked: [{ task: 'bob', location: 'a.ts:3:1' }],
            stack: 'Error: x\n    at internal',
          }),
        }),
        scenarioReport({ name: '', status: 'error', runs: 0, error: 'could not load x.ts: boom' }),
      ],
    };
    const doc = jsonDocument(report) as { seed: number; scenarios: Record<string, unknown>[] };
    expect(doc.seed).toBe(42);
    expect(doc.scenarios.map((s) => [s.name, s.status])).toEqual([
      ['passes', 'pass'],
      ['fails', 'fail'],
      ['', 'error'],
    ]);
    expect(doc.scenarios[0]).not.toHaveProperty('violation');
    expect(doc.scenarios[0]).not.toHaveProperty('error');
    expect(doc.scenarios[1]!.violation).toMatchObject({
      kind: 'invariant',
      message: 'balance is 1, expected 2',
      schedule: 'rh1.AQIDBA',
      run: 17,
      replay: expect.stringContaining('--schedule rh1.AQIDBA'),
      trace: [
        { task: 'alice', kind: 'start' },
        { task: 'bob', kind: 'timer', location: 'a.ts:9:1', time: 50 },
      ],
      blocked: [{ task: 'bob', location: 'a.ts:3:1' }],
    });
    // A start step has no location key at all (not `location: undefined`), and no stack leaks out.
    const violation = doc.scenarios[1]!.violation as { trace: object[] };
    expect(Object.keys(violation.trace[0]!)).toEqual(['task', 'kind']);
    expect(JSON.stringify(doc)).not.toContain('at internal');
    expect(doc.scenarios[2]!.error).toBe('could not load x.ts: boom');
  });
});

describe('jsonDocument of a long trace', () => {
  it('keeps the first 20 and last 40 steps and says after which step how many were elided', () => {
    const trace = Array.from({ length: 10_000 }, (_, i) => ({ kind: 'resume' as const, task: i % 2 ? 'b' : 'a', location: `x.ts:${i + 1}:1` }));
    const report = { seed: 1, scenarios: [scenarioReport({ status: 'fail', violation: violationReport({ trace, steps: 10_000 }) })] };
    const violation = (jsonDocument(report) as { scenarios: { violation: { steps: number; trace: { location: string }[]; traceElided?: unknown } }[] }).scenarios[0]!.violation;
    expect(violation.steps).toBe(10_000);
    expect(violation.trace).toHaveLength(60);
    expect(violation.trace[19]!.location).toBe('x.ts:20:1');
    expect(violation.trace[20]!.location).toBe('x.ts:9961:1');
    expect(violation.traceElided).toEqual({ after: 20, steps: 9_940 });
    expect(JSON.stringify(jsonDocument(report)).length).toBeLessThan(10_000);
    // A short trace has every step and no traceElided.
    const short = jsonDocument({ seed: 1, scenarios: [scenarioReport({ status: 'fail', violation: violationReport() })] }) as { scenarios: { violation: object }[] };
    expect(short.scenarios[0]!.violation).not.toHaveProperty('traceElided');
  });
});

describe('jsonReporter', () => {
  it('writes exactly one parseable document, when the run ends', () => {
    const writes: string[] = [];
    const reporter = jsonReporter((text) => writes.push(text));
    const report = { seed: 1, scenarios: [scenarioReport()] };
    reporter.onRunStart?.({ seed: 1, mode: 'run' });
    reporter.onScenarioStart?.({ file: 'a', name: 'a', budget: 1 });
    reporter.onScenarioEnd?.(report.scenarios[0]!);
    expect(writes).toEqual([]);
    reporter.onRunEnd?.(report);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(writes[0]!)).toEqual(jsonDocument(report));
  });
});
