import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Footprint } from '../../src/core/footprint.js';
import { OPAQUE } from '../../src/core/footprint.js';
import type { ChoiceOption } from '../../src/core/step.js';
import { dporStrategy } from '../../src/strategies/dpor.js';
import type { BoundedStrategy } from '../../src/strategies/bounded-search.js';
import type { Chooser, StepEvent } from '../../src/core/strategy.js';
import type { Fork, Program, Sequence, SimResult, SimStep, TimerMode } from './simulate-program.js';
import { allSchedules, simulateProgram } from './simulate-program.js';

/** Every run dpor makes on a program, until it is done (or `cap` runs). */
function drain(strategy: BoundedStrategy, program: Program | ((run: number) => Program), timers: TimerMode = 'fuzz', cap = 5000): SimResult[] {
  const results: SimResult[] = [];
  while (results.length < cap) {
    const plan = strategy.nextRun();
    if (plan === undefined) break;
    results.push(simulateProgram(typeof program === 'function' ? program(results.length) : program, plan.chooser, timers));
  }
  return results;
}

const traces = (results: readonly SimResult[]): Set<string> => new Set(results.map((r) => r.trace));
const w = (...writes: string[]): SimStep => ({ writes });
const r = (...reads: string[]): SimStep => ({ reads });

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

// ---- driving a chooser directly, as the runtime would: options by seq, steps reported after ----

const option = (seq: number): ChoiceOption => ({ kind: 'resume', task: seq, seq, site: 0 });
const writing = (...locations: string[]): Footprint => ({ reads: new Set(), writes: new Set(locations), opaque: false });

function stepEvent(seq: number, decision: number, footprint: Footprint = OPAQUE, options = [option(seq)]): StepEvent {
  return { option: option(seq), options, decision, createdBy: -1, readiedBy: -1, footprint };
}

/** Makes a decision among `seqs` and reports its step: returns the seq the chooser took. */
function decide(chooser: Chooser, decision: number, seqs: number[], footprint: Footprint = OPAQUE): number {
  const options = seqs.map(option);
  const seq = options[chooser.choose(options, decision, undefined)]!.seq;
  chooser.stepped!(stepEvent(seq, decision, footprint, options));
  return seq;
}

// ---- random programs: 2–4 tasks of 1–4 steps over 1–3 variables, with locks, forks, sleeps ----

/** A step over some of the variables; one in eight is opaque. */
const stepArb = (vars: string[]): fc.Arbitrary<SimStep> =>
  fc
    .record({ reads: fc.subarray(vars), writes: fc.subarray(vars), eighth: fc.integer({ min: 0, max: 7 }) })
    .map(({ eighth, ...step }) => (eighth === 0 ? { ...step, opaque: true as const } : step));

const plainTask = (vars: string[]): fc.Arbitrary<Sequence> => fc.array(stepArb(vars), { minLength: 1, maxLength: 4 });

/** A critical section: a lock taken at one step (never the last) and given back at a later one. */
const lockedTask = (vars: string[]): fc.Arbitrary<Sequence> =>
  fc.array(stepArb(vars), { minLength: 2, maxLength: 4 }).chain((steps) =>
    fc.tuple(fc.integer({ min: 0, max: steps.length - 2 }), fc.constantFrom('L', 'M')).chain(([at, lock]) =>
      fc.integer({ min: at + 1, max: steps.length - 1 }).map((release) =>
        steps.map((step, i) => ({ ...step, ...(i === at ? { acquire: lock } : {}), ...(i === release ? { release: lock } : {}) })),
      ),
    ),
  );

/** Two nested locks, in either order: two such tasks may deadlock. */
const nestedLocksTask = (vars: string[]): fc.Arbitrary<Sequence> =>
  fc.tuple(fc.array(stepArb(vars), { minLength: 4, maxLength: 4 }), fc.boolean()).map(([steps, lOuter]) => {
    const [outer, inner] = lOuter ? ['L', 'M'] : ['M', 'L'];
    const ops = [{ acquire: outer }, { acquire: inner }, { release: inner }, { release: outer }];
    return steps.map((step, i) => ({ ...step, ...ops[i] }));
  });

/** `await Promise.all([…])` or `Promise.race` between two steps (or at the end): two branches of one task run concurrently. */
const forkTask = (vars: string[]): fc.Arbitrary<Sequence> =>
  fc
    .tuple(
      stepArb(vars),
      fc.array(fc.array(stepArb(vars), { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 2 }),
      fc.boolean(),
      fc.option(stepArb(vars), { nil: undefined }),
    )
    .map(([start, all, race, after]): Sequence => {
      const fork: Fork = race ? { all, first: true } : { all };
      return [start, fork, ...(after === undefined ? [] : [after])];
    });

/** A sleep (a timer wakes the task) after one step. */
const sleepyTask = (vars: string[]): fc.Arbitrary<Sequence> =>
  fc.array(stepArb(vars), { minLength: 2, maxLength: 3 }).chain((steps) =>
    fc.integer({ min: 0, max: steps.length - 2 }).map((at) => steps.map((step, i) => (i === at ? { ...step, sleep: true as const } : step))),
  );

/** Steps a program runs at most (a sleep adds its timer's). */
function size(sequence: Sequence): number {
  return sequence.reduce((n, item) => n + ('all' in item ? item.all.reduce((m, b) => m + size(b), 0) : item.sleep ? 2 : 1), 0);
}

const programArb = (maxSteps: number): fc.Arbitrary<Program> =>
  fc
    .integer({ min: 1, max: 3 })
    .chain((n) => {
      const vars = ['x', 'y', 'z'].slice(0, n);
      const task = fc.oneof(
        { weight: 4, arbitrary: plainTask(vars) },
        { weight: 2, arbitrary: lockedTask(vars) },
        { weight: 1, arbitrary: nestedLocksTask(vars) },
        { weight: 2, arbitrary: forkTask(vars) },
        { weight: 1, arbitrary: sleepyTask(vars) },
      );
      return fc.array(task, { minLength: 2, maxLength: 4 });
    })
    .filter((program) => program.reduce((n, task) => n + size(task), 0) <= maxSteps);

describe('dpor', () => {
  it('covers the classic "x = 1 / y = 1 / r = x then y": the 4 traces, in fewer runs than the 12 schedules', () => {
    const program: Program = [[w('x')], [w('y')], [r('x'), r('y')]];
    const all = allSchedules(program);
    expect(all).toHaveLength(12);
    expect(traces(all).size).toBe(4);
    const strategy = dporStrategy(1);
    const runs = drain(strategy, program);
    expect(traces(runs)).toEqual(traces(all));
    expect(runs.length).toBeLessThan(12);
    expect(strategy.verdict()).toEqual({
      strategy: 'dpor',
      unit: 'traces',
      bound: 0,
      exhaustive: true,
      completedBound: 0,
      completedSchedules: runs.length,
      unbounded: true,
      seed: 1,
    });
  });

  it('finds both outcomes of a lost update', () => {
    // read x; (await); write x — twice: the update is lost when both read before either writes.
    const program: Program = [
      [r('x'), w('x')],
      [r('x'), w('x')],
    ];
    const lost = (order: readonly string[]): boolean => order.indexOf('0:1') > order.indexOf('1:0') && order.indexOf('1:1') > order.indexOf('0:0');
    const runs = drain(dporStrategy(1), program);
    expect(runs.some((run) => lost(run.order))).toBe(true);
    expect(runs.some((run) => !lost(run.order))).toBe(true);
    expect(traces(runs)).toEqual(traces(allSchedules(program)));
  });

  it('finds the deadlock of two locks taken in opposite orders', () => {
    const program: Program = [
      [{ acquire: 'L' }, { acquire: 'M' }, { release: 'M' }, { release: 'L' }],
      [{ acquire: 'M' }, { acquire: 'L' }, { release: 'L' }, { release: 'M' }],
    ];
    const runs = drain(dporStrategy(1), program);
    expect(runs.some((run) => run.order.length < 8)).toBe(true); // stuck, each holding one lock
    expect(runs.some((run) => run.order.length === 8)).toBe(true);
    expect(traces(runs)).toEqual(traces(allSchedules(program)));
  });

  it('runs every Mazurkiewicz trace that plain enumeration reaches, and never a schedule twice', () => {
    fc.assert(
      fc.property(programArb(8), fc.constantFrom<TimerMode>('fuzz', 'strict'), (program, timers) => {
        const all = allSchedules(program, timers);
        const strategy = dporStrategy(3);
        const runs = drain(strategy, program, timers, all.length + 1);
        expect(traces(runs)).toEqual(traces(all));
        expect(new Set(runs.map((run) => run.order.join(' '))).size).toBe(runs.length);
        expect(runs.length).toBeLessThanOrEqual(all.length);
        expect(strategy.verdict()).toMatchObject({ exhaustive: true, completedSchedules: runs.length });
      }),
      { numRuns: 300 },
    );
  });

  it('runs one schedule for tasks that share nothing, however many steps, forks and locks they have', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.boolean(), (lengths, fork) => {
        const program: Program = lengths.map((n, task) => {
          const steps = Array.from({ length: n + 1 }, (_, k): SimStep => {
            const lock = k === 0 ? { acquire: `lock${task}` } : k === n ? { release: `lock${task}` } : {};
            return { reads: [`r${task}`], writes: [`v${task}.${k}`], ...lock };
          });
          return fork ? [...steps, { all: [[w(`a${task}`)], [w(`b${task}`)]] }] : steps;
        });
        const strategy = dporStrategy(1);
        expect(drain(strategy, program)).toHaveLength(1);
        expect(strategy.verdict()).toMatchObject({ exhaustive: true, completedSchedules: 1 });
      }),
      { numRuns: 30 },
    );
  });

  it('runs n! schedules for n tasks that all write one variable, and every interleaving when all steps do', () => {
    for (let n = 2; n <= 5; n++) {
      const program: Program = Array.from({ length: n }, () => [w('x')]);
      expect(drain(dporStrategy(1), program)).toHaveLength(factorial(n));
    }
    const steps: Program = [[w('x'), w('x')], [w('x'), w('x')], [w('x')]];
    expect(drain(dporStrategy(1), steps)).toHaveLength(allSchedules(steps).length); // 5!/(2!·2!) = 30
    expect(allSchedules(steps)).toHaveLength(30);
  });

  it('treats two branches of one task (Promise.all) as concurrent: they race like tasks do', () => {
    const racing: Program = [[{}, { all: [[w('x')], [w('x')]] }, r('x')]];
    expect(traces(drain(dporStrategy(1), racing)).size).toBe(2);
    // Branches that share nothing: one trace. The step after the fork is readied by the last
    // branch to finish only, so its conflict with the other looks like a race: one extra run.
    const apart: Program = [[{}, { all: [[w('x')], [w('y')]] }, r('x', 'y')]];
    const runs = drain(dporStrategy(1), apart);
    expect(traces(runs).size).toBe(1);
    expect(runs).toHaveLength(2);
    expect(drain(dporStrategy(1), [[{}, { all: [[w('x')], [w('y')]] }, r('z')]])).toHaveLength(1);
    // Promise.race: which branch settles it first matters, even when the branches share nothing else.
    const race: Program = [[{}, { all: [[w('x')], [w('y')]], first: true }, {}]];
    expect(traces(drain(dporStrategy(1), race))).toEqual(traces(allSchedules(race)));
    expect(traces(allSchedules(race)).size).toBeGreaterThan(1);
  });

  it('orders an opaque step with every other', () => {
    const program: Program = [[{ opaque: true }], [w('y')], [r('z')]];
    const all = allSchedules(program);
    expect(traces(all).size).toBe(4); // before or after each of the two others, which commute
    expect(traces(drain(dporStrategy(1), program))).toEqual(traces(all));
  });

  it('claims nothing when cut short, and nothing before its first run', () => {
    const program: Program = [[w('x')], [w('x')], [w('x')]];
    const strategy = dporStrategy(1);
    expect(strategy.verdict()).toMatchObject({ exhaustive: false, completedBound: -1, completedSchedules: 0, unbounded: true });
    drain(strategy, program, 'fuzz', 3);
    expect(strategy.verdict()).toMatchObject({ exhaustive: false, completedBound: -1, completedSchedules: 3 });
    // The last run is analysed when the next is asked for: finishing then is what makes it exhaustive.
    expect(drain(strategy, program)).toHaveLength(3);
    expect(strategy.verdict()).toMatchObject({ exhaustive: true, completedBound: 0, completedSchedules: 6 });
    expect(strategy.nextRun()).toBeUndefined();
  });

  it('notices a program that does not follow the replayed prefix and then never claims exhaustiveness', () => {
    const two: Program = [[w('x')], [w('x')]];
    const three: Program = [[w('x')], [w('x')], [w('x')]];
    const flipping = dporStrategy(1);
    drain(flipping, (run) => (run % 2 === 0 ? two : three), 'fuzz', 500);
    expect(flipping.verdict()).toMatchObject({ exhaustive: false, completedBound: -1 });
    // Fewer decisions than the replayed prefix: the run ended early.
    const shrinking = dporStrategy(1);
    drain(shrinking, (run) => (run === 0 ? three : [[w('x')]]), 'fuzz', 500);
    expect(shrinking.verdict()).toMatchObject({ exhaustive: false, completedBound: -1 });
  });

  it('notices a forced step that ran another option before the replayed decision', () => {
    const strategy = dporStrategy(1);
    // A forced step, then a decision between two conflicting steps; the second run's forced step differs.
    for (const forced of [0, 9]) {
      const { chooser } = strategy.nextRun()!;
      chooser.stepped!(stepEvent(forced, -1));
      const taken = decide(chooser, 0, [1, 2]);
      chooser.stepped!(stepEvent(3 - taken, -1));
    }
    expect(strategy.nextRun()).toBeUndefined();
    expect(strategy.verdict()).toMatchObject({ exhaustive: false, completedSchedules: 2 });
  });

  describe('where the report of the runtime has a gap, it falls back to trying every option of a decision', () => {
    it('at the decision before a forced step that races', () => {
      const strategy = dporStrategy(1);
      const { chooser } = strategy.nextRun()!;
      expect(decide(chooser, 0, [1, 2, 4], writing())).toBe(1);
      chooser.stepped!(stepEvent(3, -1, writing('v:x'))); // forced, though 2 and 4 were ready before: a gap
      expect(decide(chooser, 1, [2, 4], writing('v:x'))).toBe(2);
      const next = strategy.nextRun()!.chooser;
      expect(decide(next, 0, [1, 2, 4], writing())).toBe(2); // decision 0 tries the others: 2, then 4
    });

    it('at the decision of the racing step when no step that could go first was ready there', () => {
      const strategy = dporStrategy(1);
      const { chooser } = strategy.nextRun()!;
      expect(decide(chooser, 0, [2, 3], writing('v:x'))).toBe(2);
      // 1 was not ready at decision 0, and nothing says what readied it since.
      expect(decide(chooser, 1, [1, 3], writing('v:x'))).toBe(1);
      chooser.stepped!(stepEvent(3, -1, writing()));
      const next = strategy.nextRun()!.chooser;
      expect(decide(next, 0, [2, 3], writing('v:x'))).toBe(3);
    });
  });

  it('is deterministic: the same program gives the same runs', () => {
    fc.assert(
      fc.property(programArb(7), (program) => {
        const order = (runs: SimResult[]): string[] => runs.map((run) => run.order.join(' '));
        expect(order(drain(dporStrategy(1), program))).toEqual(order(drain(dporStrategy(2), program)));
      }),
      { numRuns: 30 },
    );
  });

  it('refuses to guess when the runtime does not report steps, or reports them out of order', () => {
    const program: Program = [[w('x')], [w('x')]];
    const deaf = dporStrategy(1);
    const plan = deaf.nextRun()!;
    const { stepped: _ignored, ...withoutSteps } = plan.chooser;
    simulateProgram(program, withoutSteps as Chooser);
    expect(() => deaf.nextRun()).toThrow(/stepped/);

    const confused = dporStrategy(1).nextRun()!.chooser;
    expect(() => confused.stepped!({ ...stepEvent(0, -1), createdBy: 0 })).toThrow(/later step/);
    expect(() => confused.stepped!(stepEvent(0, 1))).toThrow(/decision 1/);
  });
});
