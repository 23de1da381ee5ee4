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
  /** The continuation that must resume next: queued right behind the one that resumed last. */
  forced: Continuation | undefined;

  /** `cont` has settled, in promise reaction number `reaction`: offers it, or queues it behind its promise's previous one. */
  add(cont: Continuation, reaction: number): void {
    cont.settledAt = reaction;
    const key = cont.orderKey;
    const tail = key === undefined ? undefined : this.tailOf(key);
    if (tail === undefined) {
      this.offer(cont);
      return;
    }
    tail.next = cont;
    cont.follows = reaction === tail.settledAt + 1;
  }

  /**
   * `cont` (offered, or the forced step) resumes now. A successor queued behind it becomes
   * the forced step if it must resume right after it, and is offered otherwise.
   */
  take(cont: Continuation): void {
    if (cont === this.forced) this.forced = undefined;
    if (cont.offered) {
      cont.offered = false;
      removeItem(this.list, cont);
      cont.owner.readyCount--;
    }
    const next = cont.next;
    if (next === undefined) return;
    cont.next = undefined;
    if (next.follows) this.forced = next;
    else this.offer(next);
  }

  /** Forgets every continuation (a finding ended the phase). */
  clear(): void {
    for (const cont of this.list) cont.offered = false;
    this.list.length = 0;
    this.forced = undefined;
  }

  /**
   * The latest settled continuation ordered by `key` that has not resumed: the end of the
   * queue that starts at an offered continuation, or at the forced one. (A scan of the few
   * ready continuations costs less than a map entry per await.)
   */
  private tailOf(key: object): Continuation | undefined {
    let head = this.forced?.orderKey === key ? this.forced : undefined;
    for (let i = 0; head === undefined && i < this.list.length; i++) if (this.list[i]!.orderKey === key) head = this.list[i];
    if (head === undefined) return undefined;
    while (head.next !== undefined) head = head.next;
    return head;
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
