/**
 * Which instrumentation is at work in this process: Node's module hooks (`race-hunt run`, or
 * `run()` from a program) or the Vite plugin (`race-hunt/vitest`, whose setup file says so in
 * each vitest worker). `explore()` refuses to run without either: uninstrumented code has no
 * scheduling points, and every scenario would pass.
 *
 * Kept on a global symbol, so that two copies of race-hunt in one process (a linked checkout
 * beside an installed one) agree.
 */

export type InstrumentationKind = 'module hooks' | 'vite plugin';

export interface ActiveInstrumentation {
  readonly kinds: readonly InstrumentationKind[];
  /** Package patterns under node_modules instrumented as well. */
  readonly include: readonly string[];
  /** Whether the code reports its memory accesses (dpor's partial-order reduction). */
  readonly track: boolean;
}

const KEY = Symbol.for('race-hunt.instrumentation');
const NONE: ActiveInstrumentation = { kinds: [], include: [], track: false };

function holder(): { [KEY]?: ActiveInstrumentation } {
  return globalThis as { [KEY]?: ActiveInstrumentation };
}

/** Records that `kind` instruments the modules this process loads from now on. */
export function noteInstrumentation(kind: InstrumentationKind, include: readonly string[], track: boolean): void {
  const now = activeInstrumentation();
  holder()[KEY] = {
    kinds: now.kinds.includes(kind) ? now.kinds : [...now.kinds, kind],
    include: [...new Set([...now.include, ...include])],
    track: now.track || track,
  };
}

export function activeInstrumentation(): ActiveInstrumentation {
  return holder()[KEY] ?? NONE;
}
