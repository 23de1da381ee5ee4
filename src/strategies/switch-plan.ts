import type { ChoiceOption } from '../core/step.js';
import { continuationIndex, entityOf } from '../core/entity.js';
import type { Chooser } from '../core/strategy.js';

/** The entity before the first step. */
export const NOBODY = -99;

/**
 * A context switch: after `from` has taken `after` steps, `to` runs next. Describing a
 * schedule by its switches (rather than by option indexes) keeps it meaningful when other
 * switches are removed, which is what shrinking does.
 */
export interface Switch {
  readonly from: number;
  readonly after: number;
  readonly to: number;
  /** `from` could have gone on: a preemption. */
  readonly preemptive: boolean;
}

/** The switches of a run, from each step's entity and which steps were preemptions. */
export function switchesOf(entities: readonly number[], isPreemption: (step: number) => boolean): Switch[] {
  const counts = new Map<number, number>();
  const switches: Switch[] = [];
  let previous = NOBODY;
  entities.forEach((entity, step) => {
    if (entity !== previous) {
      switches.push({ from: previous, after: counts.get(previous) ?? 0, to: entity, preemptive: isPreemption(step) });
    }
    counts.set(entity, (counts.get(entity) ?? 0) + 1);
    previous = entity;
  });
  return switches;
}

/**
 * Follows a list of switches: at each decision, take the switch planned for this point (the
 * running entity and its step count) if its target is ready; otherwise let the running
 * entity go on; if it cannot, take the next planned switch away from it whose target is
 * ready, or else the first option. Switches that no longer fit the run are skipped.
 */
export function switchPlanChooser(plan: readonly Switch[]): Chooser {
  const pending = [...plan];
  const counts = new Map<number, number>();
  const indexOf = (options: readonly ChoiceOption[], entity: number): number => options.findIndex((o) => entityOf(o) === entity);
  const take = (options: readonly ChoiceOption[], matches: (s: Switch) => boolean): number => {
    for (let i = 0; i < pending.length; i++) {
      const s = pending[i]!;
      if (!matches(s)) continue;
      const index = indexOf(options, s.to);
      if (index < 0) continue;
      pending.splice(i, 1);
      return index;
    }
    return -1;
  };
  return {
    choose(options, _decision, previous) {
      const running = previous === undefined ? NOBODY : entityOf(previous);
      const steps = counts.get(running) ?? 0;
      const planned = take(options, (s) => s.from === running && s.after === steps);
      if (planned >= 0) return planned;
      const goOn = continuationIndex(options, previous);
      if (goOn >= 0) return goOn;
      const next = take(options, (s) => s.from === running);
      return next >= 0 ? next : 0;
    },
    observe(performed) {
      const entity = entityOf(performed);
      counts.set(entity, (counts.get(entity) ?? 0) + 1);
    },
  };
}
