import type { TraceStep } from './step.js';
import type { BlockedTask, ViolationKind } from './violation.js';
import { EXIT } from './errors.js';

/** A violation as reported: what failed, the schedule that reproduces it, and its trace. */
export interface ViolationReport {
  readonly kind: ViolationKind;
  readonly message: string;
  /** The token that replays this exact execution. */
  readonly schedule: string;
  readonly trace: readonly TraceStep[];
  /** The execution (1-based) in which it was found. */
  readonly run: number;
  /** A command that replays it. */
  readonly replay: string;
  readonly stack?: string;
  readonly blocked?: readonly BlockedTask[];
}

/** One scenario's outcome. `error` means it could not be loaded or run; the message says why. */
export interface ScenarioReport {
  /** The scenario module, relative to the working directory. */
  readonly file: string;
  /** The scenario's name; empty when the file itself could not be loaded. */
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly runs: number;
  readonly interleavings: number;
  readonly durationMs: number;
  readonly violation?: ViolationReport;
  readonly error?: string;
}

/** Everything one `run` or `replay` produced. */
export interface RunReport {
  readonly seed: number;
  readonly scenarios: readonly ScenarioReport[];
}

/** The exit code for a report: an error outranks a violation, which outranks success. */
export function exitCodeOf(report: RunReport): 0 | 1 | 2 {
  if (report.scenarios.some((s) => s.status === 'error')) return EXIT.error;
  if (report.scenarios.some((s) => s.status === 'fail')) return EXIT.violation;
  return EXIT.ok;
}
