import type { RunReport, ScenarioReport } from '../core/report.js';

/** Where exploration of one scenario stands. */
export interface Progress {
  readonly file: string;
  readonly name: string;
  readonly runs: number;
  readonly budget: number;
  readonly interleavings: number;
  readonly elapsedMs: number;
}

/**
 * Hears what a run does. Every hook is optional; reporters format and write, they never
 * decide anything (the exit code comes from the report).
 */
export interface Reporter {
  onRunStart?(info: { readonly seed: number; readonly mode: 'run' | 'replay' }): void;
  onScenarioStart?(info: { readonly file: string; readonly name: string; readonly budget: number }): void;
  onProgress?(progress: Progress): void;
  onScenarioEnd?(report: ScenarioReport): void;
  onRunEnd?(report: RunReport): void;
}
