import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pctStrategy } from '../../src/strategies/pct.js';
import { sitePriorityStrategy } from '../../src/strategies/site-priority.js';
import type { Strategy } from '../../src/core/strategy.js';
import { simulate } from './simulate.js';

describe('sites (PCT over await sites)', () => {
  it('is deterministic per seed and names its depth', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 4 }), (seed, depth) => {
        const a = sitePriorityStrategy(seed, depth);
        const b = sitePriorityStrategy(seed, depth);
        expect(a.name).toBe(`sites(d=${depth})`);
        for (let i = 0; i < 10; i++) {
          const planA = a.nextRun()!;
          const planB = b.nextRun()!;
          expect(planA.seed).toBe(planB.seed);
          expect(simulate(planA, [3, 2, 2]).order).toEqual(simulate(planB, [3, 2, 2]).order);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('without change points, tasks at one site move together: all take step 1 first, or each runs through', () => {
    // Three tasks of two steps each at the same two sites: site priorities decide whether
    // every task passes site 0 before any passes site 1, task priorities the order within.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const order = simulate(sitePriorityStrategy(seed, 1).nextRun()!, [2, 2, 2]).order;
        const firstThree = order.slice(0, 3);
        const lockstep = new Set(firstThree).size === 3 && order.slice(3).join() === firstThree.join();
        const runThrough = [0, 2, 4].every((i) => order[i] === order[i + 1]);
        expect(lockstep || runThrough, order.join('')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('finds a reader slipping between two steps of one of 19 writers within a few runs, where task-PCT rarely does', () => {
    // Writers 0..18 run `step A; step B` (sites 0, 1); the reader (task 19) runs two steps at
    // sites 10, 11. The bug: both reader steps after some writer's A and before any writer's B.
    const writers = 19;
    const steps = [...Array<number>(writers).fill(2), 2];
    const siteOf = (task: number, step: number): number => (task === writers ? 10 + step : step);
    const runsToFind = (strategy: Strategy): number => {
      for (let run = 1; run <= 200; run++) {
        if (readerInWindow(simulate(strategy.nextRun()!, steps, siteOf).order, writers)) return run;
      }
      return Infinity;
    };
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const bySites = seeds.map((seed) => runsToFind(sitePriorityStrategy(seed, 2)));
    const byTasks = seeds.map((seed) => runsToFind(pctStrategy(seed, 2)));
    expect(bySites.every((r) => r <= 200), `sites: ${bySites.join(', ')}`).toBe(true);
    expect(byTasks.filter((r) => r <= 200).length, `pct: ${byTasks.join(', ')}`).toBeLessThan(seeds.length);
  });
});

/** Both of the reader's steps (task `reader`) fall after some writer's first step and before any writer's second. */
function readerInWindow(order: readonly number[], reader: number): boolean {
  const stepsTaken = new Map<number, number>();
  let anyFirst = false;
  let anySecond = false;
  let readerInWindow = 0;
  for (const task of order) {
    if (task === reader) {
      if (anyFirst && !anySecond) readerInWindow++;
      continue;
    }
    const taken = (stepsTaken.get(task) ?? 0) + 1;
    stepsTaken.set(task, taken);
    if (taken === 1) anyFirst = true;
    else anySecond = true;
  }
  return readerInWindow === 2;
}
