import { compareOptions } from '../core/step.js';
import type { Continuation } from './options.js';

/**
 * The continuations whose awaited value has settled, and which of them may run next.
 *
 * Reactions to one promise run in the order they were registered, and the ones queued
 * together (when the promise settles, every waiting reaction is queued at once) run back to
 * back: two functions awaiting one pending promise log `x, y, x2`, never `y, x` and never
 * `x, x2, y` (test/fidelity/scheduler/fifo.mjs shows it with plain Node). So a continuation
 * whose promise has an earlier continuation that has not resumed yet is not offered: it
 * waits behind it. If it settled in the very next promise reaction (queued together), it
 * resumes right after its predecessor, as a forced step; otherwise it is offered once its
 * predecessor has resumed. Continuations of different promises are independent: each
 * awaited operation may take any time.
 */
export class ReadySet {
  /** The continuations that may be chosen, in canonical order (task, then creation). */
  readonly list: Continuation[] = [];
  /** Per promise, the latest continuation ordered by it that has settled and not resumed. */
  private tails = new WeakMap<object, Continuation>();

  /** `cont` has settled, in promise reaction number `reaction`: offers it, or queues it behind its promise's previous one. */
  add(cont: Continuation, reaction: number): void {
    cont.settledAt = reaction;
    const key = cont.orderKey;
    if (key !== undefined) {
      const tail = this.tails.get(key);
      this.tails.set(key, cont);
      if (tail !== undefined) {
        tail.next = cont;
        cont.follows = reaction === tail.settledAt + 1;
        return;
      }
    }
    this.offer(cont);
  }

  /**
   * `cont` (offered, or the forced step) resumes now. Returns the continuation that must
   * resume right after it, if any; a successor that need not is offered from now on.
   */
  take(cont: Continuation): Continuation | undefined {
    if (cont.offered) {
      cont.offered = false;
      removeItem(this.list, cont);
      cont.owner.readyCount--;
    }
    const key = cont.orderKey;
    if (key !== undefined && this.tails.get(key) === cont) this.tails.delete(key);
    const next = cont.next;
    if (next === undefined) return undefined;
    cont.next = undefined;
    if (next.follows) return next;
    this.offer(next);
    return undefined;
  }

  /** Forgets every continuation (a finding ended the phase). */
  clear(): void {
    for (const cont of this.list) cont.offered = false;
    this.list.length = 0;
    this.tails = new WeakMap();
  }

  /** Adds to the list, keeping it in canonical order (usually at the end: the newest await of the last task). */
  private offer(cont: Continuation): void {
    cont.offered = true;
    cont.owner.readyCount++;
    const list = this.list;
    let i = list.length;
    list.push(cont);
    while (i > 0 && compareOptions(list[i - 1]!, cont) > 0) {
      list[i] = list[i - 1]!;
      i--;
    }
    list[i] = cont;
  }
}

/** Removes `item` from `list` in place, keeping the order (splice would allocate the removed part). */
export function removeItem<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at < 0) return;
  for (let i = at; i < list.length - 1; i++) list[i] = list[i + 1]!;
  list.pop();
}
