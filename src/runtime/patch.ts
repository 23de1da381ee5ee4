import type { Effect } from './native-effects.js';

/**
 * One property race-hunt replaces while a runtime session is open: with a value (a stand-in
 * function) or an accessor, and what calling the stand-in does to state a step can share
 * (for partial-order reduction; see native-effects.ts).
 */
export interface Patch {
  readonly target: object;
  readonly key: string | symbol;
  readonly value?: unknown;
  readonly get?: () => unknown;
  readonly effect: Effect;
}

/** Gives a stand-in the name of the function it stands in for (`setTimeout.name` is `'setTimeout'`). */
export function named<T extends object>(name: string, fn: T): T {
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
  return fn;
}
