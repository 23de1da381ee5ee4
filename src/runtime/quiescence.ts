import { ownNextTick, queuedMicrotasks, queuedTicks } from './queued-callbacks.js';
import { reactionsSoFar, runAfterNextReaction } from './task-context.js';

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Calls back once everything a step queued has run, so that what still waits is blocked (on
 * another task, a virtual timer) or on the outside world.
 *
 * How: a probe, a reaction queued behind everything the step queued. If no reaction but the
 * probe and race-hunt's own ran between queueing it and running it (V8's promise hooks count
 * every reaction and thenable job), the microtask queue held nothing else when the probe was
 * queued, and nothing ran that could have queued more: it is drained, and the callback runs
 * at once. If others ran, a new probe goes behind what they queued. Callbacks queued with
 * `queueMicrotask` or `process.nextTick` fire no promise hook, so they are counted as queued
 * (`queued-callbacks.ts`): the probe goes behind pending microtasks, and waits for pending
 * ticks in a tick of its own, which Node runs after them (it drains the tick queue before
 * the microtasks those ticks queued, so the probe is queued only once no user tick is left).
 */
export class QuiescenceProbe {
  private queued = false;
  /** True while the callback runs inside the probe's reaction (not in a tick or macrotask). */
  inReaction = false;
  /** Reactions of race-hunt's own (settle, task settled) so far, and the counts when the probe was queued. */
  private ownReactions = 0;
  private mark = 0;
  private ownMark = 0;

  constructor(private readonly onQuiet: () => void) {}

  /** A reaction of race-hunt's own ran: the probe does not count it as the user's work. */
  ownReaction(): void {
    this.ownReactions++;
  }

  /** Asks for the callback once everything queued so far has run (once: asking again before it runs does nothing). */
  request(): void {
    if (this.queued) return;
    this.queued = true;
    this.queueProbe();
  }

  /**
   * Asks for the callback, starting right after the next promise reaction: the caller has
   * just resolved a promise someone awaits, and the probe must go behind what that reaction queues.
   */
  requestAfterNextReaction(): void {
    this.queued = true;
    runAfterNextReaction(this.queueProbe, this.inReaction);
  }

  private readonly queueProbe = (): void => {
    this.mark = reactionsSoFar();
    this.ownMark = this.ownReactions;
    RESOLVED.then(this.probe);
  };

  private readonly probe = (): void => {
    if (queuedTicks() !== 0) {
      ownNextTick(this.probeAfterTicks);
      return;
    }
    // The probe's own reaction is the 1.
    const others = reactionsSoFar() - this.mark - 1 - (this.ownReactions - this.ownMark);
    if (others !== 0 || queuedMicrotasks() !== 0) {
      this.queueProbe();
      return;
    }
    this.queued = false;
    this.inReaction = true;
    try {
      this.onQuiet();
    } finally {
      this.inReaction = false;
    }
  };

  private readonly probeAfterTicks = (): void => {
    if (queuedTicks() !== 0) ownNextTick(this.probeAfterTicks);
    else this.queueProbe();
  };
}
