import { inspect, types } from 'node:util';

/**
 * Interprets what an invariant returned: `false` or a string fails, anything else passes.
 * (A throw is handled by the caller, which owns the try/catch around user code.)
 */
export function checkFailureMessage(result: unknown, what: string): string | undefined {
  if (result === false) return `${what} returned false`;
  if (typeof result === 'string') return result;
  return undefined;
}

/** How a thrown non-error is shown: as `util.inspect` shows it, on one line, bounded. */
const INSPECT_OPTIONS = { depth: 2, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 200 } as const;

/**
 * Whether `value` is an Error, without letting it throw: `instanceof` runs a proxy's
 * `getPrototypeOf` trap, and a revoked proxy throws there.
 */
export function isErrorLike(value: unknown): value is Error {
  if (types.isNativeError(value)) return true;
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/**
 * A one-line description of something a user's code threw. Never throws, whatever was
 * thrown (a revoked proxy, a getter that throws): describing the user's failure must not
 * become race-hunt's.
 */
export function describeThrown(error: unknown): { message: string; stack?: string } {
  try {
    if (isErrorLike(error)) {
      const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
      return { message: `${name}${error.message}`, stack: error.stack };
    }
    return { message: `threw ${typeof error === 'string' ? JSON.stringify(error) : inspect(error, INSPECT_OPTIONS)}` };
  } catch {
    return { message: 'threw a value that cannot be printed' };
  }
}
