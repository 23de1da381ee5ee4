import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RaceHuntError } from '../core/errors.js';
import type { InputSampler } from '../core/run-input.js';
import type { Scenario } from '../core/scenario.js';

/** The part of fast-check's module race-hunt uses (the same in 3.x and 4.x). */
interface FastCheck {
  sample(arbitrary: unknown, parameters: { seed: number; numRuns: number }): unknown[];
  stringify(value: unknown): string;
  property(arbitrary: unknown, predicate: (value: unknown) => boolean): unknown;
  asyncProperty(arbitrary: unknown, predicate: (value: unknown) => Promise<boolean>): unknown;
  check(property: unknown, parameters: { seed: number; numRuns?: number; path?: string; endOnFailure?: boolean }): RunDetails | Promise<RunDetails>;
}

interface RunDetails {
  readonly failed: boolean;
  readonly counterexample: readonly unknown[] | null;
  readonly counterexamplePath: string | null;
}

/**
 * The sampler of a scenario with an `input`: values drawn by the fast-check its file resolves
 * (the one its arbitrary was made with, 3.x or 4.x), one per seed. `undefined` without an input.
 */
export async function inputSamplerFor(scenario: Scenario, cwd: string): Promise<InputSampler | undefined> {
  const arbitrary = scenario.spec.input;
  if (arbitrary === undefined) return undefined;
  const fc = await userFastCheck(scenario, cwd);
  return {
    draw: (seed, path) => (path.length === 0 ? fc.sample(arbitrary, { seed, numRuns: 1 })[0] : valueAt(fc, arbitrary, seed, path)),
    show: (value) => fc.stringify(value),
    shrink: (seed, path, fails) => shrinkInput(fc, arbitrary, seed, path, fails),
  };
}

/**
 * fast-check's paths: the run's index (always 0 here: one value drawn per seed), then the index
 * taken at each shrinking step. A check replayed at a path with a predicate that fails at once
 * stops there (`endOnFailure`), with the value at that path.
 */
function pathText(path: readonly number[]): string {
  return ['0', ...path].join(':');
}

function valueAt(fc: FastCheck, arbitrary: unknown, seed: number, path: readonly number[]): unknown {
  let value: unknown;
  fc.check(
    fc.property(arbitrary, (v) => {
      value = v;
      return false;
    }),
    { seed, path: pathText(path), endOnFailure: true },
  );
  return value;
}

/** fast-check's own shrinking, from the value at `path`, of a predicate that fails where `fails` says. */
async function shrinkInput(
  fc: FastCheck,
  arbitrary: unknown,
  seed: number,
  path: readonly number[],
  fails: (value: unknown) => Promise<boolean>,
): Promise<{ path: readonly number[]; value: unknown } | undefined> {
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => !(await fails(value))),
    { seed, numRuns: 1, ...(path.length === 0 ? {} : { path: pathText(path) }) },
  );
  if (!details.failed || details.counterexample === null || details.counterexamplePath === null) return undefined;
  return { path: details.counterexamplePath.split(':').slice(1).map(Number), value: details.counterexample[0] };
}

async function userFastCheck(scenario: Scenario, cwd: string): Promise<FastCheck> {
  const from = scenario.definedIn ?? join(cwd, 'package.json');
  let loaded: Partial<FastCheck> & { default?: Partial<FastCheck> };
  try {
    const path = createRequire(from).resolve('fast-check');
    loaded = (await import(pathToFileURL(path).href)) as typeof loaded;
  } catch {
    throw new RaceHuntError(
      'LOAD_FAILED',
      `scenario "${scenario.name}" draws its input from a fast-check arbitrary, but fast-check cannot be found from ${from}. Install it in the project (npm install --save-dev fast-check).`,
    );
  }
  const fc = typeof loaded.sample === 'function' ? loaded : loaded.default;
  if (typeof fc?.sample !== 'function' || typeof fc.stringify !== 'function') {
    throw new RaceHuntError('LOAD_FAILED', `scenario "${scenario.name}": the fast-check found from ${from} has no sample() and stringify(); race-hunt needs fast-check 3 or 4.`);
  }
  return fc as FastCheck;
}
