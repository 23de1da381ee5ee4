/**
 * Known failures, each with a stable code and the exit code the CLI uses. Users see one
 * paragraph (the message), never a stack; anything else is a bug in race-hunt.
 */
export type ErrorCode =
  | 'FILE_NOT_FOUND'
  | 'LOAD_FAILED'
  | 'NO_SCENARIO_EXPORTED'
  | 'SCENARIO_NOT_FOUND'
  | 'BAD_OPTION'
  | 'BAD_SCHEDULE'
  | 'BAD_FAILURE_FILE'
  | 'CONFIG_INVALID'
  | 'NOT_INSTRUMENTED';

/**
 * Exit codes: 0 nothing found, 1 a violation, 2 a scenario could not be loaded or run or the
 * input was bad, 130 interrupted (SIGINT/SIGTERM; what was explored is still reported).
 */
export const EXIT = { ok: 0, violation: 1, error: 2, interrupted: 130 } as const;

export class RaceHuntError extends Error {
  override readonly name = 'RaceHuntError';
  readonly exitCode = EXIT.error;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
