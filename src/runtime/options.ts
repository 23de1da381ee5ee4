import type { ChoiceOption } from '../core/step.js';
import { START_SITE, TIMER_SITE } from '../core/step.js';
import type { Task } from './task.js';
import { TimerEntry } from './virtual-timeout.js';

/** An await that a task is suspended at: ready once the awaited value settles. */
export class Continuation implements ChoiceOption {
  // One of these is made per step: fields are plain stores in the constructor (`declare`d,
  // so that no class-field definitions run first), and `kind` lives on the prototype.
  declare readonly kind: 'resume';
  declare readonly owner: Task;
  declare readonly task: number;
  declare readonly location: string;
  declare readonly seq: number;
  /**
   * The promise whose reactions this continuation is ordered with (what it awaits, when
   * that is a native promise): reactions to one promise run in the order they were
   * registered (see ready-set.ts).
   */
  declare readonly orderKey: object | undefined;
  declare ok: boolean;
  /** The awaited value has not settled yet. */
  declare waiting: boolean;
  declare value: unknown;
  declare resolve: (value: unknown) => void;
  declare reject: (reason: unknown) => void;
  /** The await waiting for the function this await is in, when known. */
  declare caller: Continuation | undefined;
  /** Recorded steps (0-based) in which the await ran and in which its value settled; -1: before any. */
  declare createdAt: number;
  declare readiedAt: number;
  /** The promise-reaction count when it settled (consecutive reactions were queued together). */
  declare settledAt: number;
  /** The next continuation of the same promise, settled after this one: it waits for this one to resume. */
  declare next: Continuation | undefined;
  /** Settled in the reaction right after its predecessor's: it resumes right after it, back to back. */
  declare follows: boolean;
  /** In the ready set's list of options (not queued behind a predecessor). */
  declare offered: boolean;
  declare private siteId: number;

  constructor(owner: Task, location: string, seq: number, orderKey: object | undefined) {
    this.owner = owner;
    this.task = owner.index;
    this.location = location;
    this.seq = seq;
    this.orderKey = orderKey;
    this.ok = true;
    this.waiting = false;
    this.value = undefined;
    this.resolve = unset;
    this.reject = unset;
    this.caller = undefined;
    this.createdAt = -1;
    this.readiedAt = -1;
    this.settledAt = -1;
    this.next = undefined;
    this.follows = false;
    this.offered = false;
    this.siteId = -1;
  }

  /** Interned on first read: only site-aware strategies pay for it. */
  get site(): number {
    if (this.siteId < 0) this.siteId = this.owner.execution.siteOf(this.location, this.caller?.location);
    return this.siteId;
  }
}
(Continuation.prototype as { kind: string }).kind = 'resume';

function unset(): void {}

/** Starting a task is a scheduling choice too. */
export class StartOption implements ChoiceOption {
  readonly kind = 'start';
  readonly site = START_SITE;
  /** Negative, before every continuation, and distinct per task (partial-order reduction names options by seq). */
  readonly seq: number;
  readonly task: number;
  constructor(readonly owner: Task) {
    this.task = owner.index;
    this.seq = -2 - owner.index;
  }
}

/**
 * The loop wakes late: the timers phase that `entry` (the earliest timer) opens runs at
 * `wake`, a later timer's deadline, so every timer due by then fires in that one phase,
 * before any immediate they queue. A choice of its own, next to firing `entry` on time.
 */
export class LateWake implements ChoiceOption {
  readonly kind = 'timer';
  readonly site = TIMER_SITE;
  readonly task: number;
  constructor(
    readonly entry: TimerEntry,
    readonly wake: number,
    readonly seq: number,
  ) {
    this.task = entry.task;
  }
}

export type Option = Continuation | StartOption | TimerEntry | LateWake;

export { TimerEntry };
