import type { ChoiceOption } from '../core/step.js';
import { TIMER_SITE } from '../core/step.js';
import type { LoopEntry } from '../core/event-loop.js';
import { firstUserFrame } from '../core/user-frame.js';
import { isInstrumentedDependency } from '../instrument/register-loader.js';
import { OWN_ROOT } from '../core/own-root.js';
import { readStack } from './describe-error.js';
import type { Task } from './task.js';
import { nextTimerId, rememberConvertedId } from './timer-ids.js';

/**
 * What `setTimeout`/`setInterval`/`setImmediate` return inside a run: a stand-in for Node's
 * Timeout with the same methods, armed on the execution's virtual clock.
 */
export class VirtualTimeout {
  /** Counted per execution (1, 2, …), so that a replay sees the same ids. */
  readonly id: number;
  /** The current queue entry while armed. */
  entry: TimerEntry | undefined;
  private refed = true;

  constructor(
    readonly owner: Task,
    readonly delay: number,
    readonly interval: boolean,
    /** Set by `setImmediate`: runs in the loop's check phase, in order of queueing, not by deadline. */
    readonly immediate: boolean,
    private readonly callback: (...args: unknown[]) => void,
    private readonly args: readonly unknown[],
    /** Holds the stack of the call that set the timer; read only when a trace is reported. */
    private readonly site: { stack?: string },
  ) {
    this.id = nextTimerId(owner.execution);
  }

  fire(): void {
    this.callback(...this.args);
  }

  ref(): this {
    this.refed = true;
    return this;
  }

  unref(): this {
    this.refed = false;
    return this;
  }

  hasRef(): boolean {
    return this.refed;
  }

  refresh(): this {
    if (this.entry !== undefined) this.owner.execution.schedule(this);
    return this;
  }

  close(): this {
    this.cancel();
    return this;
  }

  cancel(): void {
    if (this.entry !== undefined) this.entry.cancelled = true;
    this.entry = undefined;
  }

  /** As Node's: the id, after which `clearTimeout(id)` finds the timer. */
  [Symbol.toPrimitive](): number {
    rememberConvertedId(this);
    return this.id;
  }

  /**
   * `file:line:col` of the call that set this timer, relative to `cwd`: in the user's code, or
   * in a dependency instrumented with `--instrument` (its own `setTimeout`, not the user's call into it).
   */
  location(cwd: string): string | undefined {
    return firstUserFrame(readStack(this.site) ?? '', cwd, OWN_ROOT, isInstrumentedDependency);
  }
}

/** One arming of a timer (or an immediate) in the execution's event loop; a choice the scheduler may make. */
export class TimerEntry implements LoopEntry, ChoiceOption {
  readonly kind = 'timer';
  readonly site = TIMER_SITE;
  readonly task: number;
  readonly immediate: boolean;
  cancelled = false;
  /** The virtual time at which it ran (a late loop runs a timer after its deadline). */
  firedAt = -1;
  constructor(
    readonly handle: VirtualTimeout,
    readonly deadline: number,
    readonly seq: number,
  ) {
    this.task = handle.owner.index;
    this.immediate = handle.immediate;
  }
  get ref(): boolean {
    return this.handle.hasRef();
  }
}
