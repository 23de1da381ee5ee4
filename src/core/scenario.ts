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

/**
 * A fast-check arbitrary, from whichever fast-check (3.x or 4.x) the user installed: the part of
 * its shape that carries the type of the values it makes. race-hunt draws values with the
 * fast-check the scenario's file resolves, never with a copy of its own.
 */
export interface InputArbitrary<I> {
  generate(mrng: never, biasFactor: never): { readonly value: I };
}

/** Named tasks, started concurrently; the start order is a scheduling choice too. */
export type Tasks<S> = Readonly<Record<string, (state: S) => unknown>>;

/**
 * What a user writes. `S` is the state that `setup` makes and every task, check and teardown
 * receives; `I` the input each run draws from `input` (undefined without one), which they
 * receive too.
 */
export interface ScenarioSpec<S, I = undefined> {
  /** A fast-check arbitrary: each run draws an input from it, reproducibly from the run's seed. */
  readonly input?: InputArbitrary<I>;
  /** Makes fresh state for every run; may be async. */
  readonly setup?: (input: I) => S | PromiseLike<S>;
  /** Named tasks, or a function of the input that returns them. */
  readonly tasks: Tasks<S> | ((input: I) => Tasks<S>);
  /** Checked once every task and all the work they spawned have settled. */
  readonly invariant?: (state: S, input: I) => CheckResult | PromiseLike<CheckResult>;
  /** Checked after every scheduling step; must be synchronous. */
  readonly always?: (state: S, input: I) => CheckResult;
  /** Runs after the checks of every run, pass or fail. */
  readonly teardown?: (state: S, input: I) => unknown;
}

/** A scenario as exported from a scenario module. */
export interface Scenario<S = unknown, I = unknown> {
  readonly [SCENARIO_BRAND]: true;
  readonly name: string;
  readonly spec: ScenarioSpec<S, I>;
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
export function scenario<S = undefined, I = undefined>(name: string, spec: ScenarioSpec<S, I>): Scenario<S, I> {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError('scenario(name, spec): name must be a non-empty string');
  }
  if (spec === null || typeof spec !== 'object' || spec.tasks === null || (typeof spec.tasks !== 'object' && typeof spec.tasks !== 'function')) {
    throw new TypeError(`scenario "${name}": spec.tasks must be an object of named task functions, or a function of the input that returns one`);
  }
  if (spec.input !== undefined && typeof (spec.input as { generate?: unknown } | null)?.generate !== 'function') {
    throw new TypeError(`scenario "${name}": spec.input must be a fast-check arbitrary, e.g. fc.array(fc.nat())`);
  }
  if (typeof spec.tasks === 'object') checkTasks(name, spec.tasks);
  const definedIn = callerFile(scenario);
  return Object.freeze({ [SCENARIO_BRAND]: true as const, name, spec, ...(definedIn === undefined ? {} : { definedIn }) });
}

/**
 * The tasks of one run: the record, or what the function of the input returns for `input`.
 * Throws a TypeError that names the scenario when they are not named functions.
 */
export function tasksFor<S, I>(scenario: Scenario<S, I>, input: I): Tasks<S> {
  const { tasks } = scenario.spec;
  if (typeof tasks === 'object') return tasks;
  const made = tasks(input);
  if (made === null || typeof made !== 'object') {
    throw new TypeError(`scenario "${scenario.name}": tasks(input) must return an object of named task functions; got ${made === null ? 'null' : typeof made}`);
  }
  checkTasks(scenario.name, made);
  return made;
}

function checkTasks(name: string, tasks: object): void {
  const taskNames = Object.keys(tasks);
  if (taskNames.length === 0) throw new TypeError(`scenario "${name}": declare at least one task`);
  for (const taskName of taskNames) {
    if (typeof (tasks as Record<string, unknown>)[taskName] !== 'function') {
      throw new TypeError(`scenario "${name}": task "${taskName}" is not a function`);
    }
  }
}

/** True for values made by {@link scenario}, from this copy of race-hunt or another. */
export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SCENARIO_BRAND] === true;
}
