import type { ChoiceOption } from './step.js';

/**
 * Who an option belongs to, for strategies that reason about tasks: the task's index, or
 * one shared entity for all timers (a timer firing is the environment acting, not a task).
 */
export const TIMER_ENTITY = -2;

export function entityOf(option: ChoiceOption): number {
  return option.kind === 'timer' ? TIMER_ENTITY : option.task;
}

/**
 * True when choosing `options[index]` delays work that could go on: it switches away from the
 * previous step's task while that task could continue, or it fires a timer right after a
 * timer while a task's work is ready. (After a timer, the work its callback readied is the
 * natural next step, as Node runs microtasks before the next timer; without the second rule
 * an interval could fire any number of times for the price of one preemption.)
 */
export function isPreemption(options: readonly ChoiceOption[], index: number, previous: ChoiceOption | undefined): boolean {
  if (previous === undefined) return false;
  const chosen = entityOf(options[index]!);
  const current = entityOf(previous);
  if (current === TIMER_ENTITY) return chosen === TIMER_ENTITY && options.some((o) => entityOf(o) !== TIMER_ENTITY);
  if (chosen === current) return false;
  for (const option of options) if (entityOf(option) === current) return true;
  return false;
}

/** The index of the first option of the previous step's entity, or -1 when it cannot go on. */
export function continuationIndex(options: readonly ChoiceOption[], previous: ChoiceOption | undefined): number {
  if (previous === undefined) return -1;
  const current = entityOf(previous);
  return options.findIndex((o) => entityOf(o) === current);
}
