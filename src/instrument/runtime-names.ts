/**
 * The global names that instrumented code calls. The instrumenter (which runs in Node's
 * loader thread) and the runtime (which installs these globals in the main thread) agree
 * on them here, and nowhere else.
 *
 * - `await X`                 becomes `await __rh$await(X, "file:line:col")`
 * - `for await (… of X)`      becomes `for await (… of __rh$forAwait(X, "file:line:col"))`
 * - `yield X` (async gen.)    becomes `yield await __rh$await(X, "file:line:col")`
 * - `yield* X` (async gen.)   becomes `yield* __rh$yieldStar(X, "file:line:col")`
 * - `E.then(f, g)`            becomes `__rh$then(E, "then", "LOC_F", "LOC_G").then(f, g)` (also
 *                             `E.catch(g)`, `E.finally(f)`, `E?.then(f)`, `E.then?.(f)`, `E["then"](f)`;
 *                             each LOC names its callback's position)
 * - `await using x = X`       becomes `await using x = __rh$using(X, "file:line:col")`
 * - `import(X)`               becomes `__rh$import(import(X))`
 * - an async arrow or function expression `F` in a function becomes `__rh$own(F)` (or
 *   `__rh$own(F, "name")` where its binding would name it: `const f = async () => …`), which
 *   binds it to the task that creates it (see own-closures.ts)
 *
 * The gates' contracts (src/runtime/gate-globals.ts and the files it installs):
 *
 * | call                              | returns | what runs later is a scheduling point |
 * |-----------------------------------|---------|----------------------------------------|
 * | `__rh$await(x, loc)`              | what `await` then awaits: `x`, or a promise that settles as `x` once the scheduler resumes the task | the await's resumption |
 * | `__rh$forAwait(xs, loc)`          | an async iterable over what `xs` yields | each step's result |
 * | `__rh$yieldStar(xs, loc)`         | an async iterable that delegates to `xs` (its iterator got at once, as `yield*` gets it; `return`/`throw` forwarded as `xs` has them) | each `next`/`return`/`throw` result |
 * | `__rh$then(p, key, loc, loc2?)`   | `p`, or (a native promise in a task; any receiver while dpor records) an object whose `key` method calls `p[key]` (looked up once, here) with its callbacks gated | the invocation of each callback |
 * | `__rh$using(x, loc)`              | `x` itself, with a one-shot shadow of `x[Symbol.asyncDispose]` that the declaration reads (and removes) at once | the disposal's await |
 * | `__rh$import(promise)`            | the promise, tracked as work in flight | — |
 * | `__rh$loaded?.(file)`             | undefined: the module at `file` ran instrumented (appended by the Vite plugin, whose transforms run in another process than the tests: the module hooks tell race-hunt over a port) | — |
 *
 * Outside a task every gate is transparent: the code behaves as it would uninstrumented.
 *
 * With access tracking (`track: true`, see track-accesses.ts) the code also reports what each
 * step touches. Every call returns as shown and never throws (null and undefined included, so
 * that `__rh$r(o, "k")?.k` still short-circuits):
 *
 * | call            | reports                                                                | returns   |
 * |-----------------|------------------------------------------------------------------------|-----------|
 * | `__rh$r(o, k)`  | a read of property `k` of `o` (`k` a string literal; private: `"#k"`)  | `o`       |
 * | `__rh$ra(o)`    | a read of every property of `o` (computed keys, iteration, spread, destructuring, `in`) | `o` |
 * | `__rh$w(o, k)`  | a write (and read) of property `k` of `o`                              | `o`       |
 * | `__rh$wa(o)`    | a write of every property of `o`                                       | `o`       |
 * | `__rh$p(x)`     | `x` converted to a primitive: every property read when `x` is an object | `x`      |
 * | `__rh$v(id)`    | a read of the shared variable `id` (`"file#offset:name"`)              | undefined |
 * | `__rh$vw(id)`   | a write of the shared variable `id`                                    | undefined |
 * | `__rh$c(f)`     | `f` is about to be called (or constructed): the runtime classifies it  | `f`       |
 * | `__rh$cm(o, k)` | `o[k]` is about to be called with receiver `o`: a read of `o.k` now, and what the call does when it is made | `o`, or (while recording) an object whose `k` calls `o[k]`, looked up once |
 * | `__rh$x()`      | the current step is opaque: it conflicts with every other step         | undefined |
 * | `__rh$fn`       | (a global read, not a call) starts every instrumented function body, so that `Function.prototype.toString` tells instrumented functions apart | — |
 * | `__rh$a(f)`     | `f` is handed to a call (an argument that may be a function): the runtime checks it is tracked code | `f` |
 *
 * While dpor records, the gates report what they do for the code: `__rh$then` the read of `p[key]`
 * and the call (so tracking gives a gated promise call no `__rh$cm`: the gate makes the one lookup),
 * `__rh$yieldStar` a read of the iterable and the call of the delegate's method at each step,
 * `__rh$using` the call of the dispose method. The callbacks they wrap are the user's own, tracked.
 *
 * Two things the runtime must know: `__rh$cm(o, k)` is followed by the code's own read of `.k`,
 * so the runtime must not run a getter of `o` twice: it looks `o[k]` up once and hands back an
 * object to read it from (a call after an await in its arguments is reported by that object,
 * when it is made, so the code reports nothing again); and a loop whose body suspends
 * reports `__rh$ra(iterable)` again at the end of every iteration, where the iterable may be an
 * iterator over another object (`array.values()`, `map.entries()`) that it cannot name.
 */
/**
 * What every name instrumented code brings in starts with: the globals below, and the temps
 * track-accesses.ts declares (`__rh$p0`, `__rh$e1`, `__rh$i2`), which the user's code cannot clash with.
 */
export const RUNTIME_NAME_PREFIX = '__rh$';

export const RUNTIME_GLOBALS = {
  await: '__rh$await',
  forAwait: '__rh$forAwait',
  yieldStar: '__rh$yieldStar',
  then: '__rh$then',
  awaitUsing: '__rh$using',
  import: '__rh$import',
  own: '__rh$own',
  loaded: '__rh$loaded',
  read: '__rh$r',
  readAll: '__rh$ra',
  write: '__rh$w',
  writeAll: '__rh$wa',
  toPrimitive: '__rh$p',
  readVariable: '__rh$v',
  writeVariable: '__rh$vw',
  callee: '__rh$c',
  memberCall: '__rh$cm',
  opaque: '__rh$x',
  functionMark: '__rh$fn',
  argument: '__rh$a',
} as const;
