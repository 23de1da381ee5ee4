/**
 * The public scenario API: what a user's scenario module exports.
 *
 * A scenario is plain data (a branded object), so that a scenario module and the
 * race-hunt that runs it need not share one module instance.
 */

import { callerFile } from './caller-file.js';

/** Marks objects made by {@link scenario}; `Symbol.for` so that two copies of race-hunt agree. */
export const SCENARIO_BRAND: unique symbol = Symbol.for('race-hunt.scenario') as never;

/** A check's verdict: `false` or a string (the message) fails, a throw fails, anything else passes. */
export type CheckResult = boolean | string | void | undefined | null;

/** What a user writes. `S` is the state that `setup` makes and every task, check and teardown receives. */
export interface ScenarioSpec<S> {
  /** Makes fresh state for every run; may be async. */
  readonly setup?: () => S | PromiseLike<S>;
  /** Named tasks, started concurrently; the start order is a scheduling choice too. */
  readonly tasks: Readonly<Record<string, (state: S) => unknown>>;
  /** Checked once every task and all the work they spawned have settled. */
  readonly invariant?: (state: S) => CheckResult | PromiseLike<CheckResult>;
  /** Checked after every scheduling step; must be synchronous. */
  readonly always?: (state: S) => CheckResult;
  /** Runs after the checks of every run, pass or fail. */
  readonly teardown?: (state: S) => unknown;
}

/** A scenario as exported from a scenario module. */
export interface Scenario<S = unknown> {
  readonly [SCENARIO_BRAND]: true;
  readonly name: string;
  readonly spec: ScenarioSpec<S>;
  /** The file that declared it (absolute), when V8 could tell: where `explore()` says it is. */
  readonly definedIn?: string;
}

/**
 * Declares a scenario: a few async tasks over shared state, plus invariants.
 *
 * @example
 * export default scenario('two credits', {
 *   setup: () => new Account(),
 *   tasks: { alice: (a) => a.credit(1), bob: (a) => a.credit(1) },
 *   invariant: (a) => a.balance === 2 || `balance is ${a.balance}`,
 * });
 */
export function scenario<S = undefined>(name: string, spec: ScenarioSpec<S>): Scenario<S> {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError('scenario(name, spec): name must be a non-empty string');
  }
  if (spec === null || typeof spec !== 'object' || spec.tasks === null || typeof spec.tasks !== 'object') {
    throw new TypeError(`scenario "${name}": spec.tasks must be an object of named task functions`);
  }
  const taskNames = Object.keys(spec.tasks);
  if (taskNames.length === 0) throw new TypeError(`scenario "${name}": declare at least one task`);
  for (const taskName of taskNames) {
    if (typeof spec.tasks[taskName] !== 'function') {
      throw new TypeError(`scenario "${name}": task "${taskName}" is not a function`);
    }
  }
  const definedIn = callerFile(scenario);
  return Object.freeze({ [SCENARIO_BRAND]: true as const, name, spec, ...(definedIn === undefined ? {} : { definedIn }) });
}

/** True for values made by {@link scenario}, from this copy of race-hunt or another. */
export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SCENARIO_BRAND] === true;
}
