/**
 * A small, fast, seeded pseudo-random generator (SplitMix32 mixing over a Weyl sequence).
 * Every random choice race-hunt makes flows through one of these, so a seed replays exactly.
 */
export interface Rng {
  /** An unsigned 32-bit integer. */
  nextU32(): number;
  /** A float in [0, 1). */
  nextFloat(): number;
  /** An integer in [0, n). */
  nextInt(n: number): number;
}

/** Mixes a 32-bit value into a well-distributed 32-bit value (the SplitMix32 finaliser). */
export function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Derives an independent seed for a named purpose (run n, the scenario's Math.random, …). */
export function deriveSeed(seed: number, stream: number): number {
  return mix32((seed ^ mix32(stream + 0x9e3779b9)) >>> 0);
}

/** Creates a generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  return new SplitMix32(seed);
}

/** One object per generator, its methods shared: strategies and runs make one or two a run. */
class SplitMix32 implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state);
  }

  nextFloat(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  nextInt(n: number): number {
    return Math.floor((this.nextU32() / 0x1_0000_0000) * n);
  }
}
