import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RaceHuntError } from '../core/errors.js';
import type { InputSampler } from '../core/run-input.js';
import type { Scenario } from '../core/scenario.js';

/** The part of fast-check's module race-hunt uses. */
interface FastCheck {
  sample(arbitrary: unknown, parameters: { seed: number; numRuns: number }): unknown[];
  stringify(value: unknown): string;
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
    draw: (seed) => fc.sample(arbitrary, { seed, numRuns: 1 })[0],
    show: (value) => fc.stringify(value),
  };
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
