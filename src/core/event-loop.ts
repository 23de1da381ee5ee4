import type { QueuedTimer } from './timer-queue.js';
import { TimerQueue } from './timer-queue.js';

/** A macrotask the loop can run: a timer (ordered by deadline) or an immediate (first in, first out). */
export interface LoopEntry extends QueuedTimer {
  readonly immediate: boolean;
}

/** The one result object of `peek` (read at once by its caller): none is allocated per decision. */
const NEXT: NextMacrotasks<LoopEntry> = { immediate: undefined, timer: undefined, opens: false };

/** Where the loop is: Node's event loop runs timers, then poll (I/O), then check (immediates), and again. */
type Position = 'poll' | 'timers' | 'check';

/**
 * What may run next among the macrotasks: at most one immediate and one timer. A timer that
 * `opens` a timers phase may open it late: the loop may wake after several deadlines have
 * passed (see {@link EventLoop.lateWakes}).
 */
export interface NextMacrotasks<T> {
  immediate: T | undefined;
  timer: T | undefined;
  opens: boolean;
}

/**
 * Node's event loop, as far as virtual timers and immediates go (checked with plain Node
 * scripts in test/fidelity/event-loop/):
 *
 * - A timers phase runs every timer whose deadline is at or before the loop's time when the
 *   phase began, in deadline order; a timer armed during the phase waits for the next one.
 *   The loop's time is read once per phase, and may be late: a busy process wakes after
 *   several deadlines have passed, and then all of them fire in one phase. Which wake time
 *   is a choice ({@link lateWakes}).
 * - Immediates run in the check phase, after poll: every immediate queued before the phase
 *   began, in order; one queued during the phase waits for the next iteration, whose timers
 *   phase comes first. So an immediate queued by a timer's callback runs after every other
 *   timer of that phase (bluebird#1417's `.timeout()` lives in that gap), and before a timer
 *   armed in that callback; an immediate queued by an immediate runs after the timers due by then.
 * - Continuations of awaits are not macrotasks: the runtime offers them alongside, since an
 *   awaited operation may take any time. They do not move the loop.
 *
 * Pure: the caller passes the virtual time and performs what it picks through {@link take}.
 */
export class EventLoop<T extends LoopEntry> {
  private readonly timers = new TimerQueue<T>();
  private readonly immediates: T[] = [];
  /** Index of the first immediate not yet run (the array is a queue, compacted when drained). */
  private head = 0;
  private position: Position = 'poll';
  /** The loop's time for the open timers phase. */
  private wake = 0;
  /** Immediates left in the running check phase (cancelled ones included until they surface). */
  private batch = 0;

  /** Queues a timer or an immediate. */
  arm(entry: T): void {
    if (entry.immediate) this.immediates.push(entry);
    else this.timers.push(entry);
  }

  /**
   * The macrotasks that may run next at virtual time `now`, given where the loop is. The
   * result is reused by the next call: read it at once.
   */
  peek(now: number): NextMacrotasks<T> {
    const out = NEXT as NextMacrotasks<T>;
    out.immediate = undefined;
    out.timer = undefined;
    out.opens = false;
    if (this.position === 'timers') {
      const timer = this.timers.peek();
      if (timer !== undefined && timer.deadline <= this.wake) {
        out.timer = timer;
        return out;
      }
      this.position = 'poll';
    }
    const immediate = this.firstImmediate();
    if (this.position === 'check' && this.batch > 0) {
      out.immediate = immediate;
      return out;
    }
    const timer = this.timers.peek();
    out.opens = timer !== undefined;
    out.timer = timer;
    if (this.position === 'poll') {
      // From poll the loop goes to check: waiting immediates run before any timer.
      if (immediate !== undefined) {
        out.immediate = immediate;
        out.timer = undefined;
        out.opens = false;
      }
      return out;
    }
    // A check phase has ended: the next iteration's timers phase runs whatever is due by now
    // first; with nothing due it is empty, and the immediates queued meanwhile run next,
    // unless the loop wakes only after the next deadline.
    if (timer === undefined || timer.deadline > now) out.immediate = immediate;
    return out;
  }

  /**
   * The later wake times possible when `timer`, the earliest, opens a timers phase at `now`:
   * one timer per later distinct deadline (waking at its deadline fires it in the same phase
   * as `timer`, and everything in between). Empty when only one deadline is armed.
   */
  lateWakes(timer: T, now: number): T[] {
    const onTime = Math.max(now, timer.deadline);
    const later: T[] = [];
    let last = onTime;
    for (const t of this.timers.armed()) {
      if (t.deadline > last) {
        later.push(t);
        last = t.deadline;
      }
    }
    return later;
  }

  /**
   * Runs `entry` (as {@link peek} offered it) at virtual time `now`; a timer that opens a
   * phase opens it at `wakeAt` (a deadline from {@link lateWakes}) or on time. Returns the
   * virtual time afterwards: a timers phase moves the clock to its wake time.
   */
  take(entry: T, now: number, wakeAt?: number): number {
    if (entry.immediate) {
      if (this.position !== 'check' || this.batch === 0) {
        this.position = 'check';
        this.batch = this.immediates.length - this.head;
      }
      this.firstImmediate();
      this.head++;
      this.batch--;
      this.compact();
      return now;
    }
    if (this.position !== 'timers') {
      this.position = 'timers';
      this.wake = Math.max(now, entry.deadline, wakeAt ?? entry.deadline);
    }
    this.timers.pop();
    return Math.max(now, this.wake);
  }

  /** True when an armed timer or a queued immediate keeps the run alive (not `unref()`ed). */
  hasRefed(): boolean {
    if (this.timers.hasRefed()) return true;
    for (let i = this.head; i < this.immediates.length; i++) {
      const entry = this.immediates[i]!;
      if (entry.ref && !entry.cancelled) return true;
    }
    return false;
  }

  /** True when nothing is armed or queued. */
  isEmpty(): boolean {
    return this.timers.peek() === undefined && this.firstImmediate() === undefined;
  }

  /** Forgets everything; the loop is back in poll. */
  clear(): void {
    this.timers.clear();
    this.immediates.length = 0;
    this.head = 0;
    this.batch = 0;
    this.position = 'poll';
  }

  /** The first immediate not cancelled, dropping cancelled ones (each counts against the running batch). */
  private firstImmediate(): T | undefined {
    while (this.head < this.immediates.length && this.immediates[this.head]!.cancelled) {
      this.head++;
      if (this.batch > 0) this.batch--;
    }
    this.compact();
    return this.immediates[this.head];
  }

  private compact(): void {
    if (this.head > 0 && this.head === this.immediates.length) {
      this.immediates.length = 0;
      this.head = 0;
    }
  }
}
