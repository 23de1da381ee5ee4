import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../../src/core/execution-result.js';
import { CALIBRATION_RUNS, explore } from '../../src/core/explore.js';
import type { Share } from '../../src/core/merge-shares.js';
import { mergeShares } from '../../src/core/merge-shares.js';
import { createStrategy } from '../../src/strategies/registry.js';
import type { StrategyName } from '../../src/strategies/registry.js';
import type { ChoiceOption } from '../../src/core/step.js';

/**
 * A fake scenario: a run's outcome is a pure function of the decisions its chooser makes
 * over a fixed option list, as a deterministic scenario's is. It fails when the choices
 * spell out `bug`.
 */
function fakeExecute(bug: readonly number[], length: number) {
  const options = [0, 1, 2].map((i) => ({ kind: 'continuation', seq: i, task: i, site: i, owner: { index: i } }) as unknown as ChoiceOption);
  return async (plan: { seed: number; chooser: { choose: (o: readonly ChoiceOption[], d: number, p: ChoiceOption | undefined) => number } }): Promise<ExecutionResult> => {
    const choices: number[] = [];
    let previous: ChoiceOption | undefined;
    let hash = plan.seed & 0xff;
    for (let d = 0; d < length; d++) {
      const c = plan.chooser.choose(options, d, previous);
      previous = options[c];
      choices.push(c);
      hash = (hash * 31 + c) & 0x3ff;
    }
    const decisions = choices.map((choice) => ({ choice, of: options.length }));
    const base = { schedule: { seed: plan.seed, decisions }, steps: length, preemptions: 0, interleaving: hash, newAwaitPairs: 0 };
    const failed = bug.every((b, i) => choices[i] === b);
    return failed ? { ...base, status: 'violation', violation: { kind: 'invariant', message: 'bug' } } : { ...base, status: 'pass' };
  };
}

/** Explores with `workers` shares, each its own strategy instance, as workers do; then merges. */
async function exploreIn(workers: number, name: StrategyName, seed: number, runs: number, bug: readonly number[], length: number) {
  let bound = Number.MAX_SAFE_INTEGER;
  const execute = fakeExecute(bug, length);
  const shares: Share[] = [];
  for (let worker = 0; worker < workers; worker++) {
    const strategy = createStrategy(name, seed).strategy;
    const result = await explore(strategy, (plan) => execute(plan), { runs }, undefined, { worker, workers, bound: () => bound });
    if (result.finding !== undefined) bound = Math.min(bound, result.finding.run);
    shares.push({ worker, result, executed: result.executed, calibrationExecuted: Math.min(result.executed, CALIBRATION_RUNS), interleavingsAt: result.interleavingsAt, awaitPairsAt: [] });
  }
  return mergeShares(shares, true);
}

describe('sharing runs between workers', () => {
  it('finds the same failure in the same run, with the same coverage, whatever the number of workers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<StrategyName>('random', 'pct', 'sites', 'portfolio'),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 400 }),
        async (name, seed, bug, workers, runs) => {
          const one = await exploreIn(1, name, seed, runs, bug, 8);
          const many = await exploreIn(workers, name, seed, runs, bug, 8);
          expect(many.finding?.run).toBe(one.finding?.run);
          expect(many.finding?.result.schedule).toEqual(one.finding?.result.schedule);
          expect(many.runs).toBe(one.runs);
          expect(many.interleavings).toBe(one.interleavings);
          expect(many.lastNewAt).toBe(one.lastNewAt);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts the distinct runs of shares that were stopped early, calibration once', () => {
    const share = (worker: number, executed: number): Share => ({
      worker,
      result: { runs: executed, interleavings: 0, awaitPairs: 0, lastNewAt: 0, exhausted: false },
      executed,
      calibrationExecuted: Math.min(executed, CALIBRATION_RUNS),
      interleavingsAt: new Map(),
      awaitPairsAt: [],
    });
    expect(mergeShares([share(0, 100), share(1, 90)], false).runs).toBe(CALIBRATION_RUNS + 36 + 26);
  });
});
