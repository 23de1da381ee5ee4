import { describe, expect, it } from 'vitest';
import { isScenario, scenario, SCENARIO_BRAND } from '../../src/core/scenario.js';
import type { ScenarioSpec } from '../../src/core/scenario.js';

describe('scenario()', () => {
  it('makes a frozen, branded value carrying the name and spec', () => {
    const spec: ScenarioSpec<{ n: number }> = { setup: () => ({ n: 0 }), tasks: { a: (s) => s.n++ } };
    const made = scenario('counter', spec);
    expect(made.name).toBe('counter');
    expect(made.spec).toBe(spec);
    expect(Object.isFrozen(made)).toBe(true);
    expect(isScenario(made)).toBe(true);
  });

  it('is recognised across copies of race-hunt (the brand is a registered symbol)', () => {
    expect(SCENARIO_BRAND).toBe(Symbol.for('race-hunt.scenario'));
    const foreign = { [Symbol.for('race-hunt.scenario')]: true, name: 'x', spec: { tasks: {} } };
    expect(isScenario(foreign)).toBe(true);
  });

  it('rejects look-alikes', () => {
    for (const value of [undefined, null, 1, 'scenario', { name: 'x', spec: { tasks: { a: () => {} } } }, { [Symbol.for('race-hunt.scenario')]: 'yes' }]) {
      expect(isScenario(value)).toBe(false);
    }
  });

  it('rejects bad declarations with a message naming the problem', () => {
    const bad = (name: unknown, spec: unknown) => () => scenario(name as string, spec as ScenarioSpec<unknown>);
    expect(bad('', { tasks: { a: () => {} } })).toThrow(/name must be a non-empty string/);
    expect(bad('   ', { tasks: { a: () => {} } })).toThrow(/name must be a non-empty string/);
    expect(bad(3, { tasks: { a: () => {} } })).toThrow(TypeError);
    expect(bad('s', null)).toThrow(/scenario "s": spec.tasks must be an object/);
    expect(bad('s', { tasks: null })).toThrow(/spec.tasks must be an object/);
    expect(bad('s', {})).toThrow(/spec.tasks must be an object/);
    expect(bad('s', { tasks: {} })).toThrow(/declare at least one task/);
    expect(bad('s', { tasks: { a: () => {}, b: 'nope' } })).toThrow(/task "b" is not a function/);
  });
});
