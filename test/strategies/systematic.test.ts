import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChoiceOption } from '../../src/core/step.js';
import { TIMER_SITE } from '../../src/core/step.js';
import { SPLIT_DEPTH } from '../../src/strategies/bounded-search.js';
import { delayStrategy } from '../../src/strategies/delay.js';
import { dfsStrategy } from '../../src/strategies/dfs.js';
import { continuationIndex, entityOf, isPreemption, TIMER_ENTITY } from '../../src/core/entity.js';
import { pctStrategy } from '../../src/strategies/pct.js';
import { portfolioStrategy } from '../../src/strategies/portfolio.js';
import { createStrategy, STRATEGY_NAMES } from '../../src/strategies/registry.js';
import type { Strategy } from '../../src/core/strategy.js';
import { allInterleavings, preemptions, simulate } from './simulate.js';

/** Every schedule a strategy runs on a program, until it is exhausted (or `cap` runs). */
function drain(strategy: Strategy, steps: readonly number[], cap = 10_000): string[] {
  const runs: string[] = [];
  // Ask for a plan only when it will be run: exploration never takes one it does not run.
  while (runs.length < cap) {
    const plan = strategy.nextRun();
    if (plan === undefined) break;
    runs.push(simulate(plan, steps).order.join(''));
  }
  return runs;
}

const resume = (task: number, seq = 0): ChoiceOption => ({ kind: 'resume', task, seq, site: 0 });
const timer = (task: number, seq = 0): ChoiceOption => ({ kind: 'timer', task, seq, site: TIMER_SITE });

describe('entity helpers', () => {
  it('treats all timers as one entity; counts a preemption when the previous task could go on, or when a timer follows a timer while work is ready', () => {
    expect(entityOf(resume(3))).toBe(3);
    expect(entityOf(timer(3))).toBe(TIMER_ENTITY);
    const options = [resume(0), resume(1)];
    expect(isPreemption(options, 1, resume(0))).toBe(true);
    expect(isPreemption(options, 0, resume(0))).toBe(false);
    expect(isPreemption(options, 1, undefined)).toBe(false);
    expect(isPreemption([resume(1), resume(2)], 0, resume(0))).toBe(false); // task 0 cannot go on
    // After a timer, the work it readied goes next for free (Node runs microtasks before the next timer) ...
    expect(isPreemption([resume(0), timer(1)], 0, timer(0))).toBe(false);
    // ... and another timer instead of that work delays it: an interval cannot fire for free forever.
    expect(isPreemption([resume(0), timer(1)], 1, timer(0))).toBe(true);
    expect(isPreemption([timer(1)], 0, timer(0))).toBe(false);
    expect(isPreemption([resume(0), timer(1)], 1, resume(0))).toBe(true); // a timer while the task could go on
    expect(continuationIndex([resume(0), resume(2)], resume(2))).toBe(1);
    expect(continuationIndex([resume(0)], resume(2))).toBe(-1);
    expect(continuationIndex([resume(0)], undefined)).toBe(-1);
  });
});

describe('dfs (preemption bounding)', () => {
  it('runs each schedule within the bound, and every one of them, then calls itself exhaustive', () => {
    for (const steps of [[2, 2], [3, 2], [2, 2, 1], [1, 1, 1]]) {
      for (const bound of [0, 1, 2]) {
        const strategy = dfsStrategy(7, bound);
        const runs = drain(strategy, steps);
        const expected = allInterleavings(steps)
          .filter((order) => preemptions(order, steps) <= bound)
          .map((o) => o.join(''));
        expect(new Set(runs), `${steps} ≤${bound}`).toEqual(new Set(expected));
        // Iterative bounding re-runs the cheaper schedules at each bound (memory stays
        // proportional to one run's depth), but never runs one above the bound.
        for (const run of runs) expect(preemptions([...run].map(Number), steps)).toBeLessThanOrEqual(bound);
        expect(strategy.verdict()).toEqual({
          strategy: `dfs(preemptions≤${bound})`,
          unit: 'preemptions',
          bound,
          exhaustive: true,
          completedBound: bound,
          completedSchedules: expected.length,
          // Every run of the search has this seed (a scenario's input is drawn from it).
          seed: 7,
        });
      }
    }
  });

  it('stops at the first bound that turns no schedule away: the whole space, verified for any higher bound', () => {
    for (const steps of [[2, 2], [3, 2, 1]]) {
      const strategy = dfsStrategy(3, 64);
      const runs = drain(strategy, steps);
      const all = allInterleavings(steps).map((o) => o.join(''));
      expect(new Set(runs)).toEqual(new Set(all));
      const most = Math.max(...allInterleavings(steps).map((o) => preemptions(o, steps)));
      // Bounds 0 … most each re-run what the one before ran; bound most + 1 is never started.
      expect(runs.length).toBeLessThanOrEqual(all.length * (most + 1));
      expect(strategy.verdict()).toMatchObject({ exhaustive: true, bound: 64, completedBound: 64, completedSchedules: all.length });
    }
  });

  it('with no preemptions runs each task to completion: n! schedules for n tasks', () => {
    expect(drain(dfsStrategy(1, 0), [2, 2, 2]).sort()).toEqual(['001122', '002211', '110022', '112200', '220011', '221100']);
  });

  it('claims nothing before it is done, and reports the last completed bound', () => {
    const strategy = dfsStrategy(1, 2);
    expect(strategy.verdict().exhaustive).toBe(false);
    expect(strategy.verdict().completedBound).toBe(-1);
    // Bound 0 of [2, 2] has 2 schedules; the third run starts bound 1.
    drain(strategy, [2, 2], 3);
    expect(strategy.verdict()).toMatchObject({ exhaustive: false, completedBound: 0, completedSchedules: 2 });
  });

  it('notices a program that does not follow the replayed prefix and then never claims exhaustiveness', () => {
    const strategy = dfsStrategy(1, 1);
    let flip = 0;
    for (let plan = strategy.nextRun(); plan !== undefined; plan = strategy.nextRun()) {
      simulate(plan, flip++ % 2 === 0 ? [2, 2] : [2, 2, 2]);
      if (flip > 500) break;
    }
    expect(strategy.verdict()).toMatchObject({ exhaustive: false, completedBound: -1, completedSchedules: 0 });
  });

  it('rejects a bad bound', () => {
    expect(() => dfsStrategy(1, -1)).toThrow(RangeError);
    expect(() => dfsStrategy(1, 1.5)).toThrow(RangeError);
  });
});

describe('a search split into parts (CI shards)', () => {
  /** How many decisions `order` made: points where more than one task was ready. */
  const decisionsOf = (order: readonly number[], steps: readonly number[]): number => {
    const left = [...steps];
    let decisions = 0;
    for (const task of order) {
      if (left.filter((n) => n > 0).length > 1) decisions++;
      left[task]!--;
    }
    return decisions;
  };

  it('parts cover every schedule within the bound between them, each in one part unless it makes fewer decisions than the split needs', () => {
    const program = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 });
    const search = fc.record({ steps: program, bound: fc.constantFrom(0, 1, 2, 64), count: fc.integer({ min: 2, max: 4 }), kind: fc.constantFrom('dfs', 'delay') });
    fc.assert(
      fc.property(search, ({ steps, bound, count, kind }) => {
        const whole = kind === 'dfs' ? dfsStrategy(5, bound) : delayStrategy(5, bound);
        const everything = new Set(drain(whole, steps, 100_000));
        expect(whole.verdict().exhaustive).toBe(true);
        const ran = new Set<string>();
        let counted = 0;
        for (let index = 0; index < count; index++) {
          const part = kind === 'dfs' ? dfsStrategy(5, bound, { index, count }) : delayStrategy(5, bound, { index, count });
          for (const run of drain(part, steps, 100_000)) if (everything.has(run)) ran.add(run);
          const verdict = part.verdict();
          expect(verdict).toMatchObject({ exhaustive: true, part: { index, count } });
          counted += verdict.completedSchedules;
        }
        // Between them the parts ran every schedule, and counted each once: a schedule with fewer
        // decisions than the split needs once per part. (A part may also run a schedule beyond the
        // bound, or another part's, where it enters its own; it counts neither.)
        expect(ran).toEqual(everything);
        const short = [...everything].filter((run) => decisionsOf([...run].map(Number), steps) < SPLIT_DEPTH).length;
        expect(counted).toBe(everything.size + (count - 1) * short);
      }),
      { numRuns: 200 },
    );
  });

  it('splits the work: two parts of a symmetric program each run about half of it', () => {
    const steps = [3, 3, 3];
    const whole = dfsStrategy(1, 2);
    drain(whole, steps);
    const total = whole.verdict().completedSchedules;
    for (const index of [0, 1]) {
      const part = dfsStrategy(1, 2, { index, count: 2 });
      drain(part, steps);
      const share = part.verdict().completedSchedules / total;
      expect(share, `part ${index}`).toBeGreaterThan(0.25);
      expect(share, `part ${index}`).toBeLessThan(0.75);
    }
  });

  it('rejects a part outside 0 … count − 1', () => {
    expect(() => dfsStrategy(1, 2, { index: 2, count: 2 })).toThrow(/search part/);
    expect(() => delayStrategy(1, 2, { index: -1, count: 2 })).toThrow(/search part/);
  });
});

describe('delay bounding', () => {
  it('with 0 delays runs one schedule: the non-preemptive round robin', () => {
    const strategy = delayStrategy(1, 0);
    expect(drain(strategy, [3, 3])).toEqual(['000111']);
    expect(strategy.verdict()).toMatchObject({ strategy: 'delay(delays≤0)', unit: 'delays', exhaustive: true, completedSchedules: 1 });
  });

  it('covers more with each delay and, with enough, every interleaving', () => {
    const steps = [2, 2, 1];
    const all = new Set(allInterleavings(steps).map((o) => o.join('')));
    let previous = new Set<string>();
    for (const bound of [0, 1, 2, 3, 6]) {
      const runs = new Set(drain(delayStrategy(1, bound), steps));
      for (const run of runs) expect(all.has(run)).toBe(true);
      for (const run of previous) expect(runs.has(run)).toBe(true);
      expect(runs.size).toBeGreaterThanOrEqual(previous.size);
      previous = runs;
    }
    expect(previous).toEqual(all);
  });
});

describe('pct', () => {
  it('is deterministic per seed and names its depth', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 4 }), (seed, depth) => {
        const a = pctStrategy(seed, depth);
        const b = pctStrategy(seed, depth);
        expect(a.name).toBe(`pct(d=${depth})`);
        expect(drain(a, [3, 2, 2], 20)).toEqual(drain(b, [3, 2, 2], 20));
      }),
      { numRuns: 50 },
    );
  });

  it('preempts at most depth − 1 times per run (tasks that are always ready)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 4 }), (seed, depth) => {
        const steps = [4, 3, 3];
        for (const run of drain(pctStrategy(seed, depth), steps, 30)) {
          expect(preemptions([...run].map(Number), steps)).toBeLessThanOrEqual(depth - 1);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('finds a depth-2 ordering often (a preemption at an early point)', () => {
    // "0 runs one step, then 1 runs to the end, then 0 finishes" needs one well-placed change point.
    const runs = drain(pctStrategy(3, 2), [2, 2], 400);
    expect(runs.filter((r) => r === '0110').length).toBeGreaterThan(0);
    expect(new Set(runs).size).toBeGreaterThan(2);
  });

  it('rejects a depth below 1', () => {
    expect(() => pctStrategy(1, 0)).toThrow(RangeError);
  });
});

describe('portfolio', () => {
  it('takes turns among its members and is deterministic per seed', () => {
    // Each plan is run before the next is asked for, as exploration does.
    const names = (strategy: Strategy, n: number): string[] =>
      Array.from({ length: n }, () => {
        const plan = strategy.nextRun()!;
        simulate(plan, [3, 3, 3]);
        return plan.strategy;
      });
    const turns = names(portfolioStrategy(5), 28);
    // Every member takes turns; site priorities, the deep-bug finders, in almost half of them.
    expect(turns.slice(0, 14)).toEqual([
      'random',
      'sites(d=1)',
      'pct(d=3)',
      'sites(d=3)',
      'delay(delays≤2)',
      'sites(d=2)',
      'pct(d=2)',
      'sites(d=1)',
      'random',
      'sites(d=3)',
      'pct(d=1)',
      'sites(d=2)',
      'dfs(preemptions≤1)',
      'pct(d=3)',
    ]);
    expect(turns.slice(14)).toEqual(turns.slice(0, 14));
    const a = portfolioStrategy(5);
    const b = portfolioStrategy(5);
    expect(drain(a, [2, 2, 1], 60)).toEqual(drain(b, [2, 2, 1], 60));
  });

  it('drops exhausted systematic members and reports their verdicts', () => {
    const portfolio = portfolioStrategy(5);
    const seen: string[] = [];
    for (let i = 0; i < 200; i++) {
      const plan = portfolio.nextRun()!;
      seen.push(plan.strategy);
      simulate(plan, [1, 1]);
    }
    // A 2-task, 1-step program has 2 schedules: the systematic members finish and leave.
    expect(seen.slice(-14)).not.toContain('dfs(preemptions≤1)');
    expect(seen.slice(-14)).not.toContain('delay(delays≤2)');
    expect(portfolio.verdicts()).toEqual([
      expect.objectContaining({ strategy: 'delay(delays≤2)', exhaustive: true, completedSchedules: 2 }),
      expect.objectContaining({ strategy: 'dfs(preemptions≤1)', exhaustive: true, completedSchedules: 2 }),
    ]);
  });
});

describe('registry', () => {
  it('builds every named strategy; only the systematic ones report verdicts', () => {
    expect([...STRATEGY_NAMES]).toEqual(['portfolio', 'random', 'pct', 'sites', 'dfs', 'delay', 'dpor']);
    const verdicts = Object.fromEntries(
      STRATEGY_NAMES.map((name) => {
        const created = createStrategy(name, 1, { depth: 2, preemptions: 1, delays: 1 });
        expect(created.strategy.nextRun()).toBeDefined();
        return [name, created.verdicts().map((v) => v.strategy)];
      }),
    );
    expect(verdicts).toEqual({
      portfolio: ['delay(delays≤2)', 'dfs(preemptions≤1)'],
      random: [],
      pct: [],
      sites: [],
      dfs: ['dfs(preemptions≤1)'],
      delay: ['delay(delays≤1)'],
      dpor: ['dpor'],
    });
    expect(createStrategy('pct', 1, { depth: 2, preemptions: 1, delays: 1 }).strategy.name).toBe('pct(d=2)');
    expect(createStrategy('sites', 1, { depth: 2, preemptions: 1, delays: 1 }).strategy.name).toBe('sites(d=2)');
  });
});
