import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../src/core/schedule.js';
import type { ChoiceOption } from '../../src/core/step.js';
import { replayChooser, replayStrategy } from '../../src/strategies/replay.js';
import { ScheduleDivergence } from '../../src/core/strategy.js';
import { randomStrategy } from '../../src/strategies/random.js';
import { simulate } from './simulate.js';

const options = (n: number): ChoiceOption[] => Array.from({ length: n }, (_, task) => ({ kind: 'resume' as const, task, seq: task, site: 0 }));

function divergence(fn: () => unknown): ScheduleDivergence {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleDivergence);
    return error as ScheduleDivergence;
  }
  throw new Error('expected a ScheduleDivergence');
}

describe('replayChooser', () => {
  const schedule: Schedule = { seed: 5, decisions: [{ choice: 1, of: 2 }, { choice: 2, of: 3 }] };

  it('follows the recorded choices', () => {
    const chooser = replayChooser(schedule);
    expect(chooser.choose(options(2), 0, undefined)).toBe(1);
    expect(chooser.choose(options(3), 1, undefined)).toBe(2);
    expect(() => chooser.finish?.(2)).not.toThrow();
  });

  it('names the decision where the number of ready options differs', () => {
    const error = divergence(() => replayChooser(schedule).choose(options(4), 1, undefined));
    expect(error.decision).toBe(2);
    expect(error.message).toBe('at decision 2 the schedule expects 3 ready options but the run has 4');
    expect(error.name).toBe('ScheduleDivergence');
  });

  it('names the decision when the run goes on past the schedule', () => {
    const error = divergence(() => replayChooser(schedule).choose(options(2), 2, undefined));
    expect(error.decision).toBe(3);
    expect(error.message).toBe('the schedule has 2 decisions but the run reached decision 3 (2 options ready)');
  });

  it('names the first unused decision when the run ends early', () => {
    const error = divergence(() => replayChooser(schedule).finish?.(1));
    expect(error.decision).toBe(2);
    expect(error.message).toBe('the run ended after 1 decision but the schedule has 2');
  });

  it('counts in English: a schedule of 1 decision, 1 option ready', () => {
    const one: Schedule = { seed: 5, decisions: [{ choice: 0, of: 2 }] };
    const chooser = replayChooser(one);
    chooser.choose(options(2), 0, undefined);
    expect(divergence(() => chooser.choose(options(1), 1, undefined)).message).toBe('the schedule has 1 decision but the run reached decision 2 (1 option ready)');
  });
});

describe('replayStrategy', () => {
  it('hands out exactly one plan, with the schedule’s seed', () => {
    const strategy = replayStrategy({ seed: 77, decisions: [] });
    const plan = strategy.nextRun();
    expect(plan?.seed).toBe(77);
    expect(plan?.strategy).toBe('replay');
    expect(strategy.nextRun()).toBeUndefined();
  });

  it('reproduces any recorded run of a program exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), (seed, steps) => {
        // Record: let the random strategy choose, and note every decision as the runtime does.
        const plan = randomStrategy(seed).nextRun()!;
        const decisions: { choice: number; of: number }[] = [];
        const recording = {
          ...plan,
          chooser: {
            choose: (opts: readonly ChoiceOption[], d: number, prev: ChoiceOption | undefined) => {
              const choice = plan.chooser.choose(opts, d, prev);
              decisions.push({ choice, of: opts.length });
              return choice;
            },
          },
        };
        const original = simulate(recording, steps).order;
        const replayed = simulate(replayStrategy({ seed: plan.seed, decisions }).nextRun()!, steps).order;
        expect(replayed).toEqual(original);
      }),
    );
  });
});
