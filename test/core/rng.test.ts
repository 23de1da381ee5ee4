import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, mix32 } from '../../src/core/rng.js';

const seedArb = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const take = (seed: number, n: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.nextU32());
};

describe('rng', () => {
  it('is deterministic: the same seed gives the same sequence of every kind of draw', () => {
    fc.assert(
      fc.property(seedArb, fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 30 }), (seed, bounds) => {
        const a = createRng(seed);
        const b = createRng(seed);
        const draw = (rng: ReturnType<typeof createRng>): number[] => bounds.flatMap((n) => [rng.nextInt(n), rng.nextFloat(), rng.nextU32()]);
        expect(draw(a)).toEqual(draw(b));
      }),
    );
  });

  it('different seeds give different first draws (the generator is a bijection of its state)', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (a, b) => {
        fc.pre(a !== b);
        expect(take(a, 1)).not.toEqual(take(b, 1));
      }),
    );
  });

  it('treats seeds modulo 2^32', () => {
    expect(take(2 ** 32 + 5, 4)).toEqual(take(5, 4));
    expect(take(-1, 4)).toEqual(take(2 ** 32 - 1, 4));
  });

  it('stays in range: nextU32 in [0, 2^32), nextFloat in [0, 1), nextInt(n) an integer in [0, n)', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 2 ** 31 }), (seed, n) => {
        const rng = createRng(seed);
        for (let i = 0; i < 50; i++) {
          const u = rng.nextU32();
          expect(Number.isInteger(u) && u >= 0 && u < 2 ** 32).toBe(true);
          const f = rng.nextFloat();
          expect(f >= 0 && f < 1).toBe(true);
          const k = rng.nextInt(n);
          expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        }
      }),
    );
  });

  it('spreads nextInt roughly uniformly', () => {
    const rng = createRng(12345);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[rng.nextInt(6)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    for (const c of counts) expect(c).toBeLessThan(1150);
  });

  it('does not repeat within a long stretch', () => {
    const values = take(7, 10_000);
    expect(new Set(values).size).toBe(values.length);
  });

  it('mix32 is injective and unsigned; deriveSeed separates streams and seeds', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (a, b) => {
        fc.pre(a !== b);
        expect(mix32(a)).not.toBe(mix32(b));
        expect(mix32(a)).toBeGreaterThanOrEqual(0);
        expect(deriveSeed(a, 0)).not.toBe(deriveSeed(b, 0));
      }),
    );
    fc.assert(
      fc.property(seedArb, fc.nat(1_000_000), fc.nat(1_000_000), (seed, s1, s2) => {
        fc.pre(s1 !== s2);
        expect(deriveSeed(seed, s1)).not.toBe(deriveSeed(seed, s2));
        expect(deriveSeed(seed, s1)).toBe(deriveSeed(seed, s1));
      }),
    );
  });
});
