import { createRng, deriveSeed } from '../core/rng.js';
import type { Chooser, RunPlan, Strategy } from '../core/strategy.js';

/**
 * Uniform random scheduling: at every decision, each ready option is equally likely.
 * Finds races that need one or two context switches within a few runs.
 */
export function randomStrategy(seed: number): Strategy {
  let run = 0;
  return {
    name: 'random',
    nextRun(): RunPlan {
      const runSeed = deriveSeed(seed, run++);
      const rng = createRng(deriveSeed(runSeed, 1));
      const chooser: Chooser = { choose: (options) => rng.nextInt(options.length) };
      return { seed: runSeed, chooser, strategy: 'random' };
    },
    split: {
      nextIsSerial: () => false,
      skip: () => {
        run++;
      },
      observe: () => {},
      freeze: () => {},
    },
  };
}
