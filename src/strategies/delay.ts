import type { ChoiceOption } from '../core/step.js';
import { entityOf, TIMER_ENTITY } from '../core/entity.js';
import type { BoundedStrategy, SearchPart } from './bounded-search.js';
import { boundedSearch } from './bounded-search.js';

/** Far enough that wrapping round the circular task order never collides with a real distance. */
const WRAP = 1 << 20;

/** Distance from `from` to `to` in circular order (0 for the same entity). */
function circularDistance(from: number, to: number): number {
  return to >= from ? to - from : to - from + WRAP;
}

/** Where the timers stand in the circular order: after every task. */
const TIMERS_POSITION = WRAP >> 1;

function positionOf(option: ChoiceOption): number {
  const entity = entityOf(option);
  return entity === TIMER_ENTITY ? TIMERS_POSITION : entity;
}

/**
 * The position of `options[index]` in the round-robin order that starts at the previous
 * step's entity (after the timers: the work a timer readied goes next, as in Node).
 */
function delaysFor(options: readonly ChoiceOption[], index: number, previous: ChoiceOption | undefined): number {
  const start = previous === undefined ? -WRAP : entityOf(previous) === TIMER_ENTITY ? TIMERS_POSITION + 1 : positionOf(previous);
  const key = (i: number): number => circularDistance(start, positionOf(options[i]!)) * options.length + i;
  const mine = key(index);
  let before = 0;
  for (let i = 0; i < options.length; i++) if (key(i) < mine) before++;
  return before;
}

/**
 * Iterative delay bounding (Emmi, Qadeer, Rakamarić, "Delay-bounded scheduling", POPL 2011)
 * over a deterministic non-preemptive round-robin scheduler: it runs the current task
 * while it can, then the next one in circular order. A delay skips the option that
 * scheduler would pick; choosing the j-th option in its order costs j delays. Explores all
 * schedules with 0 delays, then ≤ 1, … ≤ `maxDelays`. In the SCTBench study it beat
 * preemption bounding.
 */
export function delayStrategy(seed: number, maxDelays: number, part?: SearchPart): BoundedStrategy {
  return boundedSearch(`delay(delays≤${maxDelays})`, 'delays', seed, maxDelays, delaysFor, part);
}
