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
        expect(two!.draw(seed, [])).toEqual(one!.draw(seed, []));
        expect(one!.draw(seed, [])).toEqual(one!.draw(seed, []));
        // A run's own seed picks the input: another run seed may pick another.
        fc.pre(other !== runSeed);
      }),
      { numRuns: 200 },
    );
    const drawn = new Set(Array.from({ length: 50 }, (_, run) => JSON.stringify(one!.draw(deriveSeed(run, INPUT_STREAM), []))));
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

describe('the sampler: drawing at a shrink path, and shrinking', () => {
  it('shrinks with the arbitrary\'s own shrinker to what still fails, and draws that value again from its path', async () => {
    const sampler = (await inputSamplerFor(withInput, process.cwd()))!;
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (runSeed) => {
        const seed = deriveSeed(runSeed, INPUT_STREAM);
        const start = sampler.draw(seed, []) as { keys: string[] };
        // "fails" while some key repeats: the smallest such inputs are two of one key.
        const repeats = (v: unknown): boolean => new Set((v as { keys: string[] }).keys).size < (v as { keys: string[] }).keys.length;
        const shrunk = await sampler.shrink(seed, [], async (v) => repeats(v));
        if (!repeats(start)) {
          expect(shrunk).toBeUndefined();
          return;
        }
        expect(shrunk).toBeDefined();
        // A local minimum of fast-check's shrinker: two of one key.
        const keys = (shrunk!.value as { keys: string[] }).keys;
        expect(keys).toHaveLength(2);
        expect(keys[0]).toBe(keys[1]);
        expect(sampler.draw(seed, shrunk!.path)).toEqual(shrunk!.value);
        // Shrinking again from there finds nothing smaller.
        const again = await sampler.shrink(seed, shrunk!.path, async (v) => repeats(v));
        expect(again!.path).toEqual(shrunk!.path);
      }),
      { numRuns: 30 },
    );
  });
});
