import type { RunReport, ScenarioReport } from '../core/report.js';
import type { Reporter } from './reporter.js';
import type { UncontrolledReport } from '../core/uncontrolled.js';
import { claimsVerification } from '../core/uncontrolled.js';
import type { TraceStep } from '../core/step.js';
import { elideTrace, FULL_TRACE, TRACE_LIMITS } from './elide-trace.js';
import type { TraceLimits } from './elide-trace.js';

/** The machine-readable document: exactly one JSON value, written when the run ends. Long traces lose their middle (`traceElided`). */
export function jsonDocument(report: RunReport, options: { readonly fullTrace?: boolean } = {}): unknown {
  const limits = options.fullTrace === true ? FULL_TRACE : TRACE_LIMITS;
  return {
    seed: report.seed,
    ...(report.interrupted === true ? { interrupted: true } : {}),
    ...(report.warnings === undefined || report.warnings.length === 0 ? {} : { warnings: report.warnings }),
    ...(report.shard === undefined ? {} : { shard: report.shard }),
    scenarios: report.scenarios.map((s) => ({
      file: s.file,
      name: s.name,
      status: s.status,
      runs: s.runs,
      strategy: s.strategy,
      runsToFirstViolation: s.violation?.run ?? null,
      interleavings: s.interleavings,
      awaitPairs: s.awaitPairs,
      saturated: s.saturated,
      ...systematic(s),
      ...(s.status === 'error' ? {} : { uncontrolled: uncontrolledDocument(s.uncontrolled) }),
      durationMs: s.durationMs,
      ...(s.stopped === undefined ? {} : { stopped: s.stopped }),
      ...(s.violation === undefined
        ? {}
        : {
            violation: {
              kind: s.violation.kind,
              message: s.violation.message,
              // The input as JSON when it survives JSON, and as fast-check prints it.
              ...(s.violation.input === undefined ? {} : { ...('json' in s.violation.input ? { input: s.violation.input.json } : {}), inputShown: s.violation.input.shown }),
              schedule: s.violation.schedule,
              steps: s.violation.steps,
              preemptions: s.violation.preemptions,
              ...(s.violation.shrunkFrom === undefined ? {} : { shrunkFrom: s.violation.shrunkFrom, minimal: s.violation.minimal ?? false, ...(s.violation.shrinking === undefined ? {} : { shrinking: s.violation.shrinking }) }),
              ...(s.violation.failureFile === undefined ? {} : { failureFile: s.violation.failureFile }),
              ...(s.violation.reportFiles === undefined ? {} : { reportFiles: s.violation.reportFiles }),
              run: s.violation.run,
              foundBy: s.violation.foundBy,
              replay: s.violation.replay,
              ...traceDocument(s.violation.trace, limits),
              ...(s.violation.blocked === undefined ? {} : { blocked: s.violation.blocked }),
              ...(s.violation.nondeterministic === undefined
                ? {}
                : {
                    nondeterministic: {
                      outcome: s.violation.nondeterministic.replay.outcome,
                      likelyCause: s.violation.nondeterministic.likelyCause,
                      secondRun: traceDocument(s.violation.nondeterministic.replay.trace, limits),
                    },
                  }),
            },
          }),
      ...(s.corpus === undefined ? {} : { corpus: s.corpus }),
      ...(s.error === undefined ? {} : { error: s.error }),
      ...(s.internal === undefined ? {} : { internal: true }),
    })),
  };
}

/**
 * `trace`: the steps, with the middle of a long one left out (see `elide-trace.ts`); then
 * `traceElided` says after which step, and how many steps, are missing (the failure file has them).
 */
function traceDocument(trace: readonly TraceStep[], limits: TraceLimits): Record<string, unknown> {
  const { head, tail, elided } = elideTrace(trace, limits);
  const step = (s: TraceStep): unknown => ({
    task: s.task,
    kind: s.kind,
    ...(s.location === undefined ? {} : { location: s.location }),
    ...(s.time === undefined ? {} : { time: s.time }),
    ...(s.immediate === undefined ? {} : { immediate: true }),
    ...(s.preemption === undefined ? {} : { preemption: true }),
  });
  return {
    trace: [...head, ...tail].map(step),
    ...(elided === 0 ? {} : { traceElided: { after: head.length, steps: elided } }),
  };
}

/**
 * For `dfs`/`delay`/`dpor`: `exhaustive`, `bound` (null for dpor) and `schedules` at the top of the scenario
 * (and `part` when shards split the search: all of it is about that part); a portfolio lists its
 * systematic members under `verification`.
 */
function systematic(s: ScenarioReport): Record<string, unknown> {
  if (s.verification.length === 0) return {};
  // `verified`: exhaustive, and no await of the user's own code ran outside race-hunt's control.
  const verification = s.verification.map((v) => ({ ...v, verified: claimsVerification(v.exhaustive, s.uncontrolled) }));
  const only = verification.length === 1 ? verification[0]! : undefined;
  return {
    ...(only === undefined
      ? {}
      : {
          exhaustive: only.exhaustive,
          verified: only.verified,
          bound: only.unbounded === true ? null : only.bound,
          schedules: only.schedules,
          ...(only.part === undefined ? {} : { part: only.part }),
        }),
    verification,
  };
}

/** `uncontrolled`: native awaits by package or file, and real I/O by kind (see the README's JSON section). */
function uncontrolledDocument(u: UncontrolledReport): unknown {
  return { awaits: u.awaits, realIo: u.realIo, censusRuns: u.censusRuns };
}

/**
 * Writes {@link jsonDocument} to `write` (stdout) once the run ends; progress goes nowhere.
 * Warnings go to `warn` (stderr) too, for a person watching.
 */
export function jsonReporter(write: (text: string) => void, warn?: (text: string) => void, options: { readonly fullTrace?: boolean } = {}): Reporter {
  return {
    onRunEnd(report) {
      for (const warning of report.warnings ?? []) warn?.(`race-hunt: warning: ${warning}\n`);
      for (const s of report.scenarios) for (const warning of s.corpus?.warnings ?? []) warn?.(`race-hunt: warning: ${warning}\n`);
      write(`${JSON.stringify(jsonDocument(report, options), null, 2)}\n`);
    },
  };
}
