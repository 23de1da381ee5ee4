import type { Execution } from './execution.js';
import type { VirtualTimeout } from './virtual-timeout.js';

/**
 * Timer ids, counted per execution so that a replay sees the same ids, and the ids a run has
 * handed out as primitives: Node lets `clearTimeout(+timer)` or `clearTimeout(`${timer}`)`
 * cancel a timer once the timer has been converted to its id (`Symbol.toPrimitive`).
 */
interface Ids {
  next: number;
  /** Keyed as Node keys its `knownTimersById`: by the id as a string. */
  readonly converted: Map<string, VirtualTimeout>;
}

const perExecution = new WeakMap<Execution, Ids>();

function idsOf(execution: Execution): Ids {
  let ids = perExecution.get(execution);
  if (ids === undefined) {
    ids = { next: 1, converted: new Map() };
    perExecution.set(execution, ids);
  }
  return ids;
}

/** The id of the next timer `execution` makes: 1, 2, … in every run. */
export function nextTimerId(execution: Execution): number {
  return idsOf(execution).next++;
}

/** Records that `handle`'s id escaped as a primitive, so that clearing by that id finds it. */
export function rememberConvertedId(handle: VirtualTimeout): void {
  idsOf(handle.owner.execution).converted.set(String(handle.id), handle);
}

/** The timer of `execution` whose id, converted earlier, is `key` (a number or a string). */
export function timerByConvertedId(execution: Execution, key: number | string): VirtualTimeout | undefined {
  return perExecution.get(execution)?.converted.get(String(key));
}
