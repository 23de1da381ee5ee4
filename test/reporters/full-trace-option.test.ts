import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report.js';
import { jsonReporter, junitReporter, terminalReporter } from '../../src/index.js';
import { scenarioReport, violationReport } from '../support/reports.js';

// The API's side of --full-trace: the exported reporters take `fullTrace: true`, and then print
// every step of a long trace (no elided middle, no collapsed stretch of one task).
const STEPS = 100;
const trace = Array.from({ length: STEPS }, () => ({ kind: 'resume' as const, task: 'spinner', location: 'spin.ts:3:5' }));
const report: RunReport = {
  seed: 1,
  scenarios: [scenarioReport({ status: 'fail', violation: violationReport({ kind: 'step-limit', trace, steps: STEPS, preemptions: 0 }) })],
};

function text(): { stream: Writable; read: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  return { stream, read: () => written };
}

/** The numbers of the step lines a plain-text trace printed. */
const numbers = (output: string): number[] => [...output.matchAll(/^ *(\d+) +spinner /gm)].map((m) => Number(m[1]));
const all = Array.from({ length: STEPS }, (_, i) => i + 1);

function outputs(fullTrace: boolean): { terminal: string; json: { trace: unknown[]; traceElided?: unknown }; junit: string } {
  const out = text();
  const terminal = terminalReporter({ out: out.stream, err: text().stream, cwd: '/nowhere', color: false, layout: 'list', fullTrace });
  terminal.onScenarioEnd?.(report.scenarios[0]!);
  let json = '';
  jsonReporter((t) => (json += t), undefined, { fullTrace }).onRunEnd?.(report);
  let junit = '';
  junitReporter((t) => (junit += t), { cwd: '/nowhere', fullTrace }).onRunEnd?.(report);
  return { terminal: out.read(), json: (JSON.parse(json) as { scenarios: { violation: { trace: unknown[]; traceElided?: unknown } }[] }).scenarios[0]!.violation, junit };
}

describe('the reporters’ fullTrace option', () => {
  it('prints every step in the terminal, JSON and JUnit reporters', () => {
    const { terminal, json, junit } = outputs(true);
    expect(numbers(terminal)).toEqual(all);
    expect(terminal).not.toMatch(/more steps|elided/);
    expect(json.trace).toHaveLength(STEPS);
    expect(json.traceElided).toBeUndefined();
    expect(numbers(junit)).toEqual(all);
  });

  it('is off by default: the middle of the trace is elided and a stretch of one task collapsed', () => {
    const { terminal, json, junit } = outputs(false);
    expect(numbers(terminal).length).toBeLessThan(20);
    expect(terminal).toMatch(/… 40 steps elided/);
    expect(terminal).toMatch(/… \d+ more steps/);
    expect(json.traceElided).toEqual({ after: 20, steps: 40 });
    expect(numbers(junit).length).toBeLessThan(20);
  });
});
