import type { ScenarioReport } from '../core/report.js';
import { terminalReporter } from '../reporters/terminal.js';

/** A scenario's report as `race-hunt run` prints it in a log (no colour, one line per step): a failed test's message. */
export function reportText(report: ScenarioReport, cwd: string): string {
  const chunks: string[] = [];
  const sink = { write: (chunk: string): boolean => (chunks.push(chunk), true) } as unknown as NodeJS.WritableStream;
  const reporter = terminalReporter({ out: sink, err: sink, cwd, color: false, layout: 'list' });
  reporter.onRunStart?.({ seed: 0, mode: 'run' });
  reporter.onScenarioEnd?.(report);
  return chunks.join('').trimEnd();
}
