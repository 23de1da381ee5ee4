import type { Schedule } from './schedule.js';

/** What is known about where race-hunt failed: enough, with the scenario and seed, to reproduce it. */
export interface FailureContext {
  /** The execution's seed and the decisions it had made when race-hunt failed. */
  readonly schedule?: Schedule;
  /** The strategy (or portfolio member) whose plan the execution followed. */
  readonly strategy?: string;
  /** The execution (1-based) of the exploration that failed. */
  readonly run?: number;
}

/**
 * race-hunt's own failure while it explored, replayed or shrank a scenario: a strategy that
 * threw, a broken invariant of the runtime. It is never a finding about the user's code,
 * and the scenario's report says so. Layers add what they know as it passes up.
 */
export class InternalFailure extends Error {
  override readonly name = 'InternalFailure';

  private constructor(
    override readonly cause: unknown,
    readonly context: FailureContext,
  ) {
    super(causeMessage(cause));
  }

  /** Wraps `error` (or adds to an InternalFailure what it did not know yet). */
  static of(error: unknown, context: FailureContext = {}): InternalFailure {
    if (error instanceof InternalFailure) return new InternalFailure(error.cause, { ...context, ...error.context });
    return new InternalFailure(error, context);
  }
}

/** The cause's message, never throwing (race-hunt's own errors are Errors; anything else is shown plainly). */
function causeMessage(cause: unknown): string {
  try {
    return cause instanceof Error ? `${cause.name === 'Error' ? '' : `${cause.name}: `}${cause.message}` : String(cause);
  } catch {
    return 'an unprintable value was thrown';
  }
}
