import type { ExecutionResult } from './execution-result.js';
import type { TraceStep } from './step.js';
import type { UncontrolledReport } from './uncontrolled.js';
import { DYNAMIC_IMPORT } from './real-io.js';
import { isFileAwaits } from './uncontrolled.js';
import type { Violation } from './violation.js';

/** A failure whose schedule, run again, did not fail the same way: what the second run did, and why that may be. */
export interface Nondeterminism {
  readonly replay: {
    /** "passed", "failed differently (exception: …)", "left the schedule at decision 4 (…)". */
    readonly outcome: string;
    readonly trace: readonly TraceStep[];
  };
  readonly likelyCause: string;
}

/** Whether a second run of a failure's schedule failed the same way: the same kind and message. */
export function reproduces(found: Violation, again: ExecutionResult | undefined): boolean {
  return again?.status === 'violation' && again.violation.kind === found.kind && again.violation.message === found.message;
}

/** What the second run did, in words. */
export function outcomeOf(again: ExecutionResult | undefined): string {
  if (again === undefined || again.status === 'pass') return 'passed';
  if (again.status === 'violation') return `failed differently (${again.violation.kind}: ${again.violation.message})`;
  if (again.status === 'diverged') return `left the schedule at decision ${again.divergence.decision} (${again.divergence.message})`;
  return `could not run (${again.error.phase}: ${again.error.message})`;
}

/**
 * Why a schedule may not reproduce, from what ran outside race-hunt's control: real I/O first
 * (its results and timing come from outside), then awaits that ran natively (their order is
 * Node's, not the schedule's); with neither, state that outlives a run.
 */
export function likelyCause(uncontrolled: UncontrolledReport): string {
  if (uncontrolled.realIo.some((io) => io.kind === DYNAMIC_IMPORT)) {
    return 'an import() loaded a module during a run: Node keeps it in its module cache, so later runs (a replay too) do not wait for it and take other steps. Import the module at the top of the scenario, or in setup, so that every run starts with it loaded.';
  }
  if (uncontrolled.realIo.length > 0) {
    const kinds = uncontrolled.realIo.map((io) => io.name).join(', ');
    return `real I/O (${kinds}) ran in these runs: its results and timing come from outside race-hunt, so a schedule does not pin down what happens. Replace it in the scenario with an in-memory fake, or accept that such failures are found but not replayed.`;
  }
  const native = uncontrolled.awaits;
  if (native.length > 0) {
    const where = native.map((a) => (isFileAwaits(a) ? a.file : a.package)).slice(0, 3).join(', ');
    return `awaits ran without race-hunt's control (${where}): there the order is Node's, not the schedule's. Instrument them (--instrument for a package) so the schedule covers them.`;
  }
  return "state that outlives a run: a module-level variable, cache or singleton that setup does not create afresh, so the second run started from what the first left behind (or randomness race-hunt does not seed). Make setup build everything a run changes.";
}
