/**
 * The file of the code that called the function `above` (as V8's stack shows it, so with source
 * maps applied where the loader set them up): where a scenario was declared, for `explore()`'s
 * reports and saved failures. `undefined` when V8 shows no file (eval, or a native caller).
 */
export function callerFile(above: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: unknown } = {};
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.captureStackTrace(holder, above);
    const frames = holder.stack as NodeJS.CallSite[] | undefined;
    const name = frames?.[0]?.getFileName() ?? undefined;
    if (name === undefined || name === '') return undefined;
    return name.startsWith('file://') ? decodeURIComponent(new URL(name).pathname) : name;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}
