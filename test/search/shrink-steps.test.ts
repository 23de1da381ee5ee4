import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../../src/core/execution-result.js';
import type { Failure } from '../../src/search/shrink.js';
import { shrinkFailure } from '../../src/search/shrink.js';
import type { ChoiceOption, TraceStep } from '../../src/core/step.js';
import { isPreemption } from '../../src/core/entity.js';
import { randomStrategy } from '../../src/strategies/random.js';
import type { Chooser } from '../../src/core/strategy.js';
import { allInterleavings } from '../strategies/simulate.js';

/**
 * A program whose violation is seen as soon as it happens, like an `always` check: task i
 * takes steps[i] steps and must not be interrupted between its steps `critical[i]` and
 * `critical[i] + 1` by a task that has a critical section too (-1: none, a bystander). The run stops at the violation, so its steps are those up to it, and a
 * task that plays no part can be left out of the trace by running it later. As the runtime
 * does, a run given `maxSteps` stops before the step after it (and fails some other way).
 */
interface Program {
  readonly steps: readonly number[];
  readonly critical: readonly number[];
}

function execute(program: Program, chooser: Chooser, maxSteps = Infinity): ExecutionResult {
  const left = [...program.steps];
  const done = program.steps.map(() => 0);
  const order: number[] = [];
  const trace: TraceStep[] = [];
  const decisions: { choice: number; of: number }[] = [];
  let previous: ChoiceOption | undefined;
  let preemptions = 0;
  let inside = -1;
  const result = (status: 'pass' | 'violation', kind = 'always'): ExecutionResult => {
    const base = { schedule: { seed: 1, decisions }, steps: order.length, preemptions, interleaving: 0, newAwaitPairs: 0, trace, entities: [...order] };
    return status === 'pass' ? { ...base, status } : { ...base, status, violation: { kind: kind as 'always', message: 'interrupted' } };
  };
  for (let seq = 0; ; seq += program.steps.length) {
    const options: ChoiceOption[] = [];
    left.forEach((n, task) => {
      if (n > 0) options.push({ kind: 'resume', task, seq: seq + task, site: program.steps[task]! - n });
    });
    if (options.length === 0) return result('pass');
    if (order.length >= maxSteps) return result('violation', 'timeout');
    let index = 0;
    let preempted = false;
    if (options.length > 1) {
      index = chooser.choose(options, decisions.length, previous);
      decisions.push({ choice: index, of: options.length });
      preempted = isPreemption(options, index, previous);
      if (preempted) preemptions++;
    }
    const chosen = options[index]!;
    chooser.observe?.(chosen);
    // Only a task that touches the shared state (it has a critical section) can break another's.
    const interrupts = inside >= 0 && chosen.task !== inside && program.critical[chosen.task]! >= 0;
    left[chosen.task]!--;
    done[chosen.task]!++;
    order.push(chosen.task);
    trace.push({ kind: 'resume', task: `t${chosen.task}`, location: `a.ts:${chosen.task + 1}:1`, ...(preempted ? { preemption: true as const } : {}) });
    previous = chosen;
    if (interrupts) return result('violation');
    inside = program.critical[chosen.task] === done[chosen.task]! - 1 ? chosen.task : -1;
  }
}

/** The least preemptions a failing run can have, and the fewest steps with that many: by brute force over every interleaving. */
function trueMinimum(program: Program): { preemptions: number; steps: number } | undefined {
  let best: { preemptions: number; steps: number } | undefined;
  for (const order of allInterleavings(program.steps)) {
    const run = execute(program, { choose: (options) => Math.max(0, options.findIndex((o) => o.task === order[0])) , observe: () => order.shift() });
    if (run.status !== 'violation') continue;
    if (best === undefined || run.preemptions < best.preemptions || (run.preemptions === best.preemptions && run.steps < best.steps)) best = { preemptions: run.preemptions, steps: run.steps };
  }
  return best;
}

function findFailure(program: Program, seed: number): Failure | undefined {
  const strategy = randomStrategy(seed);
  for (let run = 0; run < 200; run++) {
    const result = execute(program, strategy.nextRun()!.chooser);
    if (result.status === 'violation') return result as Failure;
  }
  return undefined;
}

const shrinkIn = (program: Program, failure: Failure) =>
  shrinkFailure(failure, { execute: async (chooser, maxSteps) => execute(program, chooser, maxSteps), outOfTime: () => false });

describe('shrinkFailure: fewest steps once the preemptions are minimal', () => {
  it('moves a bystander task after the violation: three increments and a task of seven steps that plays no part', async () => {
    // t0–t2 read then write (critical after their first step); t3 takes seven steps and touches nothing.
    const program: Program = { steps: [2, 2, 2, 7], critical: [0, 0, 0, -1] };
    for (let seed = 0; seed < 20; seed++) {
      const original = findFailure(program, seed)!;
      const shrunk = await shrinkIn(program, original);
      expect(shrunk.failure.preemptions, `seed ${seed}`).toBe(1);
      // One task reads, another interrupts it: two steps, and no step of the bystander (t3).
      expect(shrunk.failure.steps, `seed ${seed}`).toBe(2);
      expect(shrunk.failure.entities).not.toContain(3);
      expect(shrunk).toMatchObject({ minimal: true, minimalSteps: true, cutShort: false });
    }
  });

  it('PROPERTY: reaches the true minimum, fewest preemptions and then fewest steps, and proves both', async () => {
    const programs = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 3 })
      .chain((steps) => fc.record({ steps: fc.constant(steps), critical: fc.tuple(...steps.map((n) => fc.integer({ min: -1, max: n - 2 }))) }))
      // Only programs that can fail: every case checks a shrink.
      .filter((program) => trueMinimum(program) !== undefined);
    await fc.assert(
      fc.asyncProperty(programs, fc.integer({ min: 0, max: 1000 }), async (program, seed) => {
        const original = findFailure(program, seed);
        fc.pre(original !== undefined);
        const shrunk = await shrinkIn(program, original!);
        const minimum = trueMinimum(program)!;
        expect({ preemptions: shrunk.failure.preemptions, steps: shrunk.failure.steps }).toEqual(minimum);
        expect(shrunk).toMatchObject({ minimal: true, minimalSteps: true, cutShort: false });
      }),
      { numRuns: 150 },
    );
  });

  it('claims no fewest steps when its budget ends before it has searched them', async () => {
    const program: Program = { steps: [2, 2, 2, 7], critical: [0, 0, 0, -1] };
    const original = findFailure(program, 1)!;
    const whole = await shrinkIn(program, original);
    // The same shrink, one run short of finishing.
    const short = await shrinkFailure(original, { execute: async (chooser, maxSteps) => execute(program, chooser, maxSteps), outOfTime: () => false, maxRuns: whole.runs - 1 });
    expect(short).toMatchObject({ cutShort: true, minimalSteps: false });
  });
});
