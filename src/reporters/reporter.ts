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
  onRunStart?(info: { readonly seed: number; readonly mode: 'run' | 'replay' | 'shrink' }): void;
  onScenarioStart?(info: { readonly file: string; readonly name: string; readonly budget: number }): void;
  onProgress?(progress: Progress): void;
  /** A violation was found and is being shrunk. */
  onShrinkStart?(info: { readonly file: string; readonly name: string; readonly steps: number; readonly preemptions: number }): void;
  /** Shrinking found a smaller failing schedule. */
  onShrinkProgress?(info: { readonly file: string; readonly name: string; readonly runs: number; readonly steps: number; readonly preemptions: number }): void;
  onScenarioEnd?(report: ScenarioReport): void;
  onRunEnd?(report: RunReport): void;
}
