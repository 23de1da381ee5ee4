/**
 * Interprets what an invariant returned: `false` or a string fails, anything else passes.
 * (A throw is handled by the caller, which owns the try/catch around user code.)
 */
export function checkFailureMessage(result: unknown, what: string): string | undefined {
  if (result === false) return `${what} returned false`;
  if (typeof result === 'string') return result;
  return undefined;
}

/** A one-line description of something a user's code threw. */
export function describeThrown(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return { message: `${name}${error.message}`, stack: error.stack };
  }
  try {
    return { message: `threw ${typeof error === 'string' ? JSON.stringify(error) : String(error)}` };
  } catch {
    return { message: 'threw a value that cannot be printed' };
  }
}
