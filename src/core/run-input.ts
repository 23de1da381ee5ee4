/**
 * A scenario's input (`spec.input`): how a run draws one, and how a report shows it.
 * Pure; `loading/input-sampler.ts` binds the sampler to the user's fast-check.
 */
import { deriveSeed } from './rng.js';
import type { InputChoice } from './schedule.js';

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

/**
 * PCT and its variants explore one input for this many of their runs before the next: their
 * probabilistic guarantee is about one program, so each input gets a stretch of priorities and
 * change points; random exploration draws a fresh input every run, and a systematic search
 * explores one input (its seed's) deeply.
 */
export const INPUT_EPOCH_RUNS = 32;
/** The seed stream of those inputs: epoch e of a strategy with seed s draws from deriveSeed(s, INPUT_EPOCH_STREAM + e). */
export const INPUT_EPOCH_STREAM = 0x2_0000;

/**
 * Where a run's input comes from: the schedule's own input (a shrunk one, or a PCT epoch's), or
 * the one drawn from its seed. The one rule, for runs, shrinking and verdicts alike.
 */
export function inputChoiceOf(seed: number, input: InputChoice | undefined): InputChoice {
  return input ?? { seed: deriveSeed(seed, INPUT_STREAM), path: [] };
}

/** The input of run `run` (from 0) of a PCT-family strategy with seed `seed`. */
export function epochInput(seed: number, run: number): InputChoice {
  return { seed: deriveSeed(seed, INPUT_EPOCH_STREAM + Math.floor(run / INPUT_EPOCH_RUNS)), path: [] };
}

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
