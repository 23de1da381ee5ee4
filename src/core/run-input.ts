/**
 * A scenario's input (`spec.input`): how a run draws one, and how a report shows it.
 * Data and types only; `loading/input-sampler.ts` binds them to the user's fast-check.
 */

/** Draws a run's input from a seed, and shows a value as fast-check prints it. */
export interface InputSampler {
  /** The value fast-check draws from `seed`, then follows `path` (shrinking steps) from. */
  draw(seed: number, path: readonly number[]): unknown;
  show(value: unknown): string;
  /**
   * Shrinks the input at (`seed`, `path`) with the arbitrary's own shrinker, keeping each smaller
   * value for which `fails` resolves true; the last kept, with its path from `seed`. `undefined`
   * when the value at the start no longer fails.
   */
  shrink(seed: number, path: readonly number[], fails: (value: unknown) => Promise<boolean>): Promise<{ readonly path: readonly number[]; readonly value: unknown } | undefined>;
}

/** The input of one run as reports carry it: across threads, so never the value itself. */
export interface RunInput {
  /** As `fc.stringify` prints it. */
  readonly shown: string;
  /** The value as JSON, when it survives JSON (no functions, no class instances that lose their shape). */
  readonly json?: unknown;
}

/** The seed stream of a run's input: drawn from the run's seed, so the schedule token replays it too. */
export const INPUT_STREAM = 0x1_4e7;

/** A run's input as reports carry it. */
export function runInputOf(value: unknown, sampler: InputSampler): RunInput {
  const shown = sampler.show(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return { shown };
    const json: unknown = JSON.parse(text);
    // Kept only if JSON says the same as fast-check (no Map, Set, class instance or undefined lost).
    return sampler.show(json) === shown ? { shown, json } : { shown };
  } catch {
    return { shown };
  }
}
