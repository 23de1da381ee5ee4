/**
 * The global names that instrumented code calls. The instrumenter (which runs in Node's
 * loader thread) and the runtime (which installs these globals in the main thread) agree
 * on them here, and nowhere else.
 *
 * - `await X`                 becomes `await __rh$await(X, "file:line:col")`
 * - `for await (… of X)`      becomes `for await (… of __rh$forAwait(X, "file:line:col"))`
 * - `yield X` (async gen.)    becomes `yield await __rh$await(X, "file:line:col")`
 * - `import(X)`               becomes `__rh$import(import(X))`
 */
export const RUNTIME_GLOBALS = {
  await: '__rh$await',
  forAwait: '__rh$forAwait',
  import: '__rh$import',
} as const;
