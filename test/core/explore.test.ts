import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../../src/core/execution-result.js';
import { explore, isSaturated } from '../../src/core/explore.js';
import type { RunPlan, Strategy } from '../../src/core/strategy.js';

const chooser = { choose: () => 0 };

/** A strategy that hands out `count` plans (or forever), numbering their seeds 0, 1, 2, … */
function counting(count = Infinity): Strategy & { handedOut: () => number } {
  let n = 0;
  return {
    name: 'counting',
    nextRun: (): RunPlan | undefined => {
      if (n >= count) return undefined;
      const seed = n++;
      return { seed, chooser, strategy: `member${seed % 2}` };
    },
    handedOut: () => n,
  };
}

function result(status: 'pass' | 'violation' | 'error', interleaving: number, seed: number, newAwaitPairs = 0): ExecutionResult {
  const base = { schedule: { seed, decisions: [] }, steps: 1, preemptions: 0, interleaving, newAwaitPairs };
  if (status === 'pass') return { ...base, status };
  if (status === 'violation') return { ...base, status, violation: { kind: 'invariant', message: `broke in ${seed}` } };
  return { ...base, status, error: { phase: 'setup', message: 'no' } };
}

describe('explore', () => {
  it('stops at the first execution that does not pass and reports it with its 1-based run number', async () => {
    const strategy = counting();
    const seeds: number[] = [];
    const found = await explore(
      strategy,
      async (plan) => {
        seeds.push(plan.seed);
        return result(plan.seed === 4 ? 'violation' : 'pass', plan.seed % 2, plan.seed);
      },
      { runs: 100 },
    );
    expect(seeds).toEqual([0, 1, 2, 3, 4]);
    expect(strategy.handedOut()).toBe(5);
    expect(found.runs).toBe(5);
    expect(found.exhausted).toBe(false);
    expect(found.interleavings).toBe(2);
    expect(found.finding?.run).toBe(5);
    expect(found.finding?.result.status).toBe('violation');
    expect(found.finding?.result.schedule.seed).toBe(4);
    expect(found.finding?.strategy).toBe('member0');
  });

  it('treats an error like a finding: it stops there', async () => {
    const found = await explore(counting(), async (plan) => result(plan.seed === 0 ? 'error' : 'pass', 0, plan.seed), { runs: 10 });
    expect(found.runs).toBe(1);
    expect(found.finding?.result.status).toBe('error');
  });

  it('spends exactly the run budget when everything passes, counting distinct interleavings', async () => {
    const strategy = counting();
    const found = await explore(strategy, async (plan) => result('pass', plan.seed % 3, plan.seed), { runs: 7 });
    expect(found).toMatchObject({ runs: 7, interleavings: 3, awaitPairs: 0, lastNewAt: 3, exhausted: false, executed: 7 });
    expect([...found.interleavingsAt]).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(strategy.handedOut()).toBe(7);
  });

  it('reports an exhausted strategy before the budget runs out', async () => {
    const found = await explore(counting(3), async (plan) => result('pass', plan.seed, plan.seed), { runs: 10 });
    expect(found).toMatchObject({ runs: 3, interleavings: 3, awaitPairs: 0, lastNewAt: 3, exhausted: true });
  });

  it('calls onRun after every execution with the counts so far', async () => {
    const calls: [number, number, number, number][] = [];
    const pairs = [2, 0, 0, 1, 0];
    await explore(
      counting(),
      async (plan) => result('pass', plan.seed < 2 ? 0 : 1, plan.seed, pairs[plan.seed]),
      { runs: 5 },
      (runs, summary) => {
        const coverage = summary();
        calls.push([runs, coverage.interleavings, coverage.awaitPairs, coverage.lastNewAt]);
      },
    );
    expect(calls).toEqual([
      [1, 1, 2, 1],
      [2, 1, 2, 1],
      [3, 2, 2, 3],
      [4, 2, 3, 4],
      [5, 2, 3, 4],
    ]);
  });

  it('calls coverage saturated only after 500 runs with nothing new in the latter half', () => {
    const at = (lastNewAt: number) => ({ interleavings: 1, awaitPairs: 1, lastNewAt });
    expect(isSaturated(499, at(1))).toBe(false);
    expect(isSaturated(500, at(250))).toBe(true);
    expect(isSaturated(500, at(251))).toBe(false);
    expect(isSaturated(1000, at(500))).toBe(true);
    expect(isSaturated(1000, at(900))).toBe(false);
  });
});
