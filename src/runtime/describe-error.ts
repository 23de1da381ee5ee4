import { describeThrown, isErrorLike } from '../core/check-result.js';
import { OWN_ROOT } from '../core/own-root.js';


/**
 * Reads a stack as Node formats it, source-mapped when Node's maps are on (tsx turns them on
 * for `race-hunt run`). A test runner may have replaced `Error.prepareStackTrace` (vitest does),
 * which turns Node's source-map support off; stacks are formatted lazily on first read, so
 * lifting the override for that read keeps locations in the user's TypeScript. With Node's maps
 * off (a vitest worker, whose modules Vite transformed), the runner's own formatting is the one
 * that knows the maps, and is kept.
 */
export function readStack(holder: { stack?: string }): string | undefined {
  const saved = Error.prepareStackTrace;
  if (saved === undefined || !process.sourceMapsEnabled) return holder.stack;
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
  try {
    return holder.stack;
  } finally {
    Error.prepareStackTrace = saved;
  }
}

/**
 * A user's error as one line and a stack without race-hunt's or Node's internal frames.
 * Never throws (see `describeThrown`).
 */
export function describeError(error: unknown): { message: string; stack?: string } {
  // Read (and so format) the stack before anything else does.
  const stack = isErrorLike(error) ? stackOf(error) : undefined;
  const { message } = describeThrown(error);
  if (stack === undefined) return { message };
  const kept = stack.split('\n').filter((line) => !/^\s+at /.test(line) || !(line.includes(OWN_ROOT + '/') || line.includes('node:internal')));
  return { message, stack: kept.join('\n') };
}

/** The error's stack, or undefined when reading it throws (a user's getter) or it is not a string. */
function stackOf(error: Error): string | undefined {
  try {
    const stack = readStack(error);
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  }
}
