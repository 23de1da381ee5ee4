import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INPUT_STREAM, runInputOf } from '../../src/core/run-input.js';
import { deriveSeed } from '../../src/core/rng.js';
import type { Scenario } from '../../src/core/scenario.js';
import { scenario } from '../../src/core/scenario.js';
import { inputSamplerFor } from '../../src/loading/input-sampler.js';

// Typed as any scenario, as the runner holds them.
const withInput = scenario('keys', {
  input: fc.record({ keys: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 6 }), capacity: fc.integer({ min: 1, max: 3 }) }),
  tasks: ({ keys }) => Object.fromEntries(keys.map((k, i) => [`req${i}`, () => k])),
}) as unknown as Scenario;

describe('inputSamplerFor', () => {
  it('draws the same input from the same seed, in any sampler of the scenario (as workers and replays make their own)', async () => {
    const [one, two] = await Promise.all([inputSamplerFor(withInput, process.cwd()), inputSamplerFor(withInput, process.cwd())]);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (runSeed, other) => {
        const seed = deriveSeed(runSeed, INPUT_STREAM);
        expect(two!.draw(seed)).toEqual(one!.draw(seed));
        expect(one!.draw(seed)).toEqual(one!.draw(seed));
        // A run's own seed picks the input: another run seed may pick another.
        fc.pre(other !== runSeed);
      }),
      { numRuns: 200 },
    );
    const drawn = new Set(Array.from({ length: 50 }, (_, run) => JSON.stringify(one!.draw(deriveSeed(run, INPUT_STREAM)))));
    expect(drawn.size).toBeGreaterThan(10);
  });

  it('uses the fast-check the scenario file resolves, and shows values as it prints them', async () => {
    expect(withInput.definedIn).toBe(fileURLToPath(import.meta.url));
    const sampler = (await inputSamplerFor(withInput, process.cwd()))!;
    expect(sampler.show({ keys: ['a'], capacity: 1 })).toBe(fc.stringify({ keys: ['a'], capacity: 1 }));
    expect(await inputSamplerFor(scenario('none', { tasks: { a: () => undefined } }) as Scenario, process.cwd())).toBeUndefined();
  });

  it('keeps an input as JSON only when JSON says the same as fast-check', async () => {
    const sampler = (await inputSamplerFor(withInput, process.cwd()))!;
    expect(runInputOf({ keys: ['a', 'a'] }, sampler)).toEqual({ shown: '{"keys":["a","a"]}', json: { keys: ['a', 'a'] } });
    expect(runInputOf(new Map([['a', 1]]), sampler)).toEqual({ shown: 'new Map([["a",1]])' });
    expect(runInputOf(undefined, sampler)).toEqual({ shown: 'undefined' });
    expect(runInputOf([1, undefined], sampler)).toEqual({ shown: '[1,undefined]' });
  });
});
