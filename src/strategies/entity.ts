import type { ChoiceOption } from '../core/step.js';

/**
 * Who an option belongs to, for strategies that reason about tasks: the task's index, or
 * one shared entity for all timers (a timer firing is the environment acting, not a task).
 */
export const TIMER_ENTITY = -2;

export function entityOf(option: ChoiceOption): number {
  return option.kind === 'timer' ? TIMER_ENTITY : option.task;
}

/** True when choosing `options[index]` switches away from the previous step's entity while it could go on. */
export function isPreemption(options: readonly ChoiceOption[], index: number, previous: ChoiceOption | undefined): boolean {
  if (previous === undefined) return false;
  const current = entityOf(previous);
  if (entityOf(options[index]!) === current) return false;
  for (const option of options) if (entityOf(option) === current) return true;
  return false;
}

/** The index of the first option of the previous step's entity, or -1 when it cannot go on. */
export function continuationIndex(options: readonly ChoiceOption[], previous: ChoiceOption | undefined): number {
  if (previous === undefined) return -1;
  const current = entityOf(previous);
  return options.findIndex((o) => entityOf(o) === current);
}
