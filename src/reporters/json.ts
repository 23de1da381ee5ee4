import type { RunReport, ScenarioReport } from '../core/report.js';
import type { Reporter } from './reporter.js';

/** The machine-readable document: exactly one JSON value, written when the run ends. */
export function jsonDocument(report: RunReport): unknown {
  return {
    seed: report.seed,
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
      durationMs: s.durationMs,
      ...(s.violation === undefined
        ? {}
        : {
            violation: {
              kind: s.violation.kind,
              message: s.violation.message,
              schedule: s.violation.schedule,
              steps: s.violation.steps,
              preemptions: s.violation.preemptions,
              ...(s.violation.shrunkFrom === undefined ? {} : { shrunkFrom: s.violation.shrunkFrom, minimal: s.violation.minimal ?? false }),
              ...(s.violation.failureFile === undefined ? {} : { failureFile: s.violation.failureFile }),
              ...(s.violation.reportFiles === undefined ? {} : { reportFiles: s.violation.reportFiles }),
              run: s.violation.run,
              foundBy: s.violation.foundBy,
              replay: s.violation.replay,
              trace: s.violation.trace.map((step) => ({
                task: step.task,
                kind: step.kind,
                ...(step.location === undefined ? {} : { location: step.location }),
                ...(step.time === undefined ? {} : { time: step.time }),
                ...(step.immediate === undefined ? {} : { immediate: true }),
                ...(step.preemption === undefined ? {} : { preemption: true }),
              })),
              ...(s.violation.blocked === undefined ? {} : { blocked: s.violation.blocked }),
            },
          }),
      ...(s.error === undefined ? {} : { error: s.error }),
      ...(s.internal === undefined ? {} : { internal: true }),
    })),
  };
}

/**
 * For `dfs`/`delay`/`dpor`: `exhaustive`, `bound` (null for dpor) and `schedules` at the top of the scenario; a
 * portfolio lists its systematic members under `verification`.
 */
function systematic(s: ScenarioReport): Record<string, unknown> {
  if (s.verification.length === 0) return {};
  const only = s.verification.length === 1 ? s.verification[0]! : undefined;
  return {
    ...(only === undefined ? {} : { exhaustive: only.exhaustive, bound: only.unbounded === true ? null : only.bound, schedules: only.schedules }),
    verification: s.verification,
  };
}

/** Writes {@link jsonDocument} to `write` (stdout) once the run ends; progress goes nowhere. */
export function jsonReporter(write: (text: string) => void): Reporter {
  return {
    onRunEnd(report) {
      write(`${JSON.stringify(jsonDocument(report), null, 2)}\n`);
    },
  };
}
