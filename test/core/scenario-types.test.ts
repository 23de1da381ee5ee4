import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenario, tasksFor } from '../../src/core/scenario.js';

// Checked by `tsc --noEmit` (npm test): the input's type flows from the arbitrary into setup,
// tasks, checks and teardown; each @ts-expect-error fails the type check if that stops holding.
const typed = scenario('typed input', {
  input: fc.record({ keys: fc.array(fc.constantFrom('a', 'b')), capacity: fc.nat() }),
  setup: (input) => ({ seen: [] as string[], capacity: input.capacity }),
  tasks: ({ keys }) => Object.fromEntries(keys.map((k, i) => [`t${i}`, (s: { seen: string[] }) => s.seen.push(k)])),
  invariant: (state, input) => state.seen.length <= input.keys.length,
  always: (state, { capacity }) => state.capacity === capacity,
  teardown: (_state, input) => input.keys.join(''),
});

scenario('a wrong field of the input', {
  input: fc.record({ keys: fc.array(fc.string()) }),
  // @ts-expect-error the input has no field `count`
  tasks: ({ count }) => ({ a: () => count }),
});

scenario('the input is not the state', {
  input: fc.nat(),
  setup: () => ({ n: 0 }),
  tasks: { a: (s) => s.n++ },
  // @ts-expect-error a number input has no `n`
  invariant: (_s, input) => input.n === 0,
});

describe('scenario() with an input', () => {
  it('keeps the tasks a function of the input, made per run by tasksFor, and names the scenario when they are not tasks', () => {
    expect(typeof typed.spec.tasks).toBe('function');
    const tasks = tasksFor(typed, { keys: ['a', 'b'] as ('a' | 'b')[], capacity: 1 });
    expect(Object.keys(tasks)).toEqual(['t0', 't1']);
    const bad = scenario('bad tasks', { input: fc.nat(), tasks: () => ({ a: 1 }) as never });
    expect(() => tasksFor(bad, 0)).toThrow('scenario "bad tasks": task "a" is not a function');
    const none = scenario('no tasks', { input: fc.nat(), tasks: () => null as never });
    expect(() => tasksFor(none, 0)).toThrow('scenario "no tasks": tasks(input) must return an object of named task functions; got null');
  });

  it('refuses an input that is no arbitrary', () => {
    expect(() => scenario('x', { input: 5 as never, tasks: { a: () => 1 } })).toThrow('scenario "x": spec.input must be a fast-check arbitrary, e.g. fc.array(fc.nat())');
  });
});
