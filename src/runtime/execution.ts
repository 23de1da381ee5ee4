import type { Rng } from '../core/rng.js';
import { describeError } from './describe-error.js';
import { createRng, deriveSeed } from '../core/rng.js';
import type { Decision } from '../core/schedule.js';
import type { ChoiceOption, TraceStep } from '../core/step.js';
import { compareOptions, START_SITE } from '../core/step.js';
import type { Coverage } from './coverage.js';
import { locationIdOf, pairKey, siteOf } from './coverage.js';
import { TimerQueue } from '../core/timer-queue.js';
import type { AccessRecorder } from './access-recorder.js';
import type { BlockedTask, Violation } from '../core/violation.js';
import { OPAQUE } from '../core/footprint.js';
import type { Chooser } from '../strategies/strategy.js';
import { ScheduleDivergence } from '../strategies/strategy.js';
import { entityOf, isPreemption } from '../strategies/entity.js';
import { externalWorkInFlight } from './external-work.js';
import { inNextMacrotask } from './macrotask.js';
import { ownNextTick, queuedMicrotasks, queuedTicks } from './queued-callbacks.js';
import { real } from './real-globals.js';
import { recordAwait, recordSettled, setRecorder } from './tracking-globals.js';
import { promiseHooks } from 'node:v8';
import type { Task } from './task.js';
import { enterTask, leaveTask, reactionsSoFar, runAfterNextReaction, runAsTask } from './task-context.js';
import type { VirtualTimeout } from './virtual-timeout.js';
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
  declare private siteId: number;

  constructor(owner: Task, location: string, seq: number) {
    this.owner = owner;
    this.task = owner.index;
    this.location = location;
    this.seq = seq;
    this.ok = true;
    this.waiting = false;
    this.value = undefined;
    this.resolve = unset;
    this.reject = unset;
    this.caller = undefined;
    this.createdAt = -1;
    this.readiedAt = -1;
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
class StartOption implements ChoiceOption {
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

type Option = Continuation | StartOption | TimerEntry;

/** One internal trace record: the option performed (a timer's location is read from its stack only when reported). */
type StepRecord = Option;

export interface ExecutionConfig {
  readonly maxSteps: number;
  readonly timers: 'fuzz' | 'strict';
  /** Virtual epoch: what `Date.now()` reads when the run begins. */
  readonly epoch: number;
  /** Seeds the scenario's `Math.random` and friends. */
  readonly seed: number;
  /** Called after every recorded step; returns a violation message or undefined. */
  readonly always?: () => Violation | undefined;
  /**
   * Collects each recorded step's reads and writes for the chooser's `stepped` (partial-order
   * reduction); without it, steps reach `stepped` as opaque.
   */
  readonly recorder?: AccessRecorder;
}

/** The recorded step in progress, reported to the chooser's `stepped` once it has finished. */
interface OpenStep {
  readonly option: Option;
  readonly options: readonly Option[];
  readonly decision: number;
}

/** How a phase (setup, the tasks, a check, teardown) is driven. */
export interface Phase {
  readonly tasks: readonly Task[];
  readonly chooser: Chooser;
  /** Record decisions and trace steps (only the user's tasks are). */
  readonly record: boolean;
  /** Start the tasks as scheduling choices (true) or at once, in order (false). */
  readonly startsAreChoices: boolean;
  /**
   * End as soon as every task of the phase has settled (setup, checks), rather than when all
   * work in the run has settled (the user's tasks).
   */
  readonly endWhenTasksSettle: boolean;
}

/** How a phase ended. */
export type PhaseEnd =
  | { readonly kind: 'done' }
  | { readonly kind: 'task-failed'; readonly task: Task; readonly error: unknown }
  | { readonly kind: 'violation'; readonly violation: Violation }
  | { readonly kind: 'diverged'; readonly decision: number; readonly message: string };

const FROZEN: Promise<never> = new Promise(() => {});
const RESOLVED: Promise<void> = Promise.resolve();
const DONE: PhaseEnd = { kind: 'done' };

/** How long an idle execution waits for real I/O or imports before calling it a deadlock. */
const EXTERNAL_WAIT_LIMIT_MS = 10_000;

/**
 * One execution of a scenario under the controlled scheduler. Exactly one continuation
 * runs at a time; between steps the execution waits for quiescence and then asks the
 * phase's chooser which ready option runs next.
 *
 * Quiescence: after each step, the next one is chosen once everything the step queued has run
 * (see queueCheck: a probe reaction that counts what ran before it). Only when nothing is
 * ready does the execution wait for a macrotask
 * (`macrotask.ts`) before it calls the run done or deadlocked: by then unhandled rejections
 * have been reported, and real I/O or imports in flight can be seen.
 */
export class Execution {
  readonly clock: { now: number };
  private randomness: Rng | undefined;
  private readonly timers = new TimerQueue<TimerEntry>();
  /** Continuations whose awaited value has settled, in canonical order (task, then creation). */
  private readonly ready: Continuation[] = [];
  /** Continuations whose awaited value has not settled yet: the count, and every one that ever waited (for deadlock reports). */
  private waitingCount = 0;
  private readonly everWaited: Continuation[] = [];
  /** The options of the decision at hand; reused, since choosers do not keep it. */
  private readonly optionBuffer: Option[] = [];
  private unstarted: StartOption[] = [];
  private liveTasks = 0;
  private seq = 0;
  private awaiting = false;
  private checkQueued = false;
  /** The check runs inside a promise reaction (a probe), not a tick. */
  private inReaction = false;
  /** Reactions of race-hunt's own (settle, task settled) run so far, and the counts when the probe was queued. */
  private ownReactions = 0;
  private probeMark = 0;
  private probeOwnMark = 0;
  private macrotaskArmed = false;
  private finished = false;
  private phase: Phase | undefined;
  /** When the execution began waiting, idle, for real I/O or imports to finish (real ms). */
  private externalSince: number | undefined;
  /** The step performed last: strategies count a switch away from its task as a preemption. */
  private previous: Option | undefined;
  private endPhase: ((end: PhaseEnd) => void) | undefined;
  private openStep: OpenStep | undefined;
  /** Set while steps are reported to the chooser's `stepped`: ends recording (removes the settle hook). */
  private stopRecordingHook: (() => void) | undefined;

  /** Steps of recorded phases. */
  steps = 0;
  /** Decisions that switched away from a task that could have gone on. */
  preemptions = 0;
  /** Indexes (0-based) of the recorded steps that were preemptions, ascending. */
  private readonly preemptedAt: number[] = [];
  private phaseSteps = 0;
  /** The decisions made, flat: choice, then the number of options, for each (no object per decision). */
  private readonly choices: number[] = [];
  private readonly records: StepRecord[] = [];
  /** Rolling hash of the recorded task/await sequence. */
  interleaving = 0x011c9dc5;

  /** Await-location pairs (which await resumed right after which) this execution saw first. */
  newAwaitPairs = 0;
  private lastResumed = -1;

  constructor(
    private readonly config: ExecutionConfig,
    private readonly coverage: Coverage,
  ) {
    this.clock = { now: config.epoch };
  }

  /**
   * Drives one phase to its end. A phase that ends synchronously (most setups and checks)
   * returns its end at once, so that the caller need not await: an await costs a microtask
   * and a promise per phase, per run.
   */
  runPhase(phase: Phase): PhaseEnd | Promise<PhaseEnd> {
    this.phase = phase;
    this.phaseSteps = 0;
    this.previous = undefined;
    if (phase.record && phase.chooser.stepped !== undefined) this.startRecording();
    if (phase.startsAreChoices) {
      this.unstarted = phase.tasks.map((t) => new StartOption(t));
    } else {
      // Started at once. Most setups and checks are synchronous: then the phase is over
      // before any microtask, and costs nothing more.
      let ended: PhaseEnd | undefined;
      this.endPhase = (end) => {
        ended = end;
      };
      for (const task of phase.tasks) this.startTask(task);
      if (ended === undefined && phase.endWhenTasksSettle && phase.tasks.every((t) => t.settled)) ended = DONE;
      if (ended !== undefined) {
        this.endPhase = undefined;
        return ended;
      }
    }
    return new Promise<PhaseEnd>((resolve) => {
      this.endPhase = resolve;
      this.afterStep();
    });
  }

  /** The site number of an await at `location` whose caller waits at `callerLocation`. */
  siteOf(location: string, callerLocation: string | undefined): number {
    return siteOf(this.coverage, location, callerLocation);
  }

  /** The scenario's randomness for this execution (made on first use: most scenarios draw none). */
  get random(): Rng {
    this.randomness ??= createRng(deriveSeed(this.config.seed, 0x5eed));
    return this.randomness;
  }

  /** Ends the execution: nothing of it runs any more. */
  finish(): void {
    this.finished = true;
    // A phase that never ended (the run was abandoned) must not leave the settle hook behind.
    if (this.stopRecordingHook !== undefined) this.stopRecording();
    this.abandon();
  }

  /** The virtual time at which the run began. */
  get epoch(): number {
    return this.config.epoch;
  }

  /**
   * Drops the phase's work after a finding: its continuations stay suspended forever and its
   * timers never fire, so a later phase (teardown) runs on a clean slate.
   */
  private abandon(): void {
    for (const task of this.phase?.tasks ?? []) {
      task.abandoned = true;
      task.readyCount = 0;
    }
    this.ready.length = 0;
    for (const cont of this.everWaited) cont.waiting = false;
    this.everWaited.length = 0;
    this.waitingCount = 0;
    this.unstarted = [];
    this.timers.clear();
    this.liveTasks = 0;
    this.awaiting = false;
  }

  // ---- called by instrumented code (through the runtime globals) ----

  /**
   * An instrumented `await value` in `task`: suspends until the scheduler grants the continuation.
   * `_orderKey`: the promise whose reactions this continuation is ordered with (default: `value`,
   * when it is a native promise); a promise call's callback passes its receiver.
   */
  gate(task: Task, value: unknown, location: string, _orderKey?: object): Promise<unknown> {
    if (this.finished || task.abandoned) return FROZEN;
    const cont = new Continuation(task, location, this.seq++);
    if (this.stopRecordingHook !== undefined) {
      cont.createdAt = this.currentStep();
      recordAwait(value);
    }
    // Awaits within one segment suspend innermost first: a later one is the caller of the
    // one before (a heuristic: calls not awaited at once, as in Promise.all, blur it).
    cont.caller = task.segmentCaller;
    const last = task.lastAwait;
    if (last !== undefined && last.seq >= task.resumedAt) last.caller = cont;
    task.lastAwait = cont;
    // The gate's promises are race-hunt's: untagged. The await on the returned promise is
    // the user's, and is tagged as usual, so the resumption runs as the task.
    const caller = leaveTask();
    const promise = new Promise<unknown>((resolve, reject) => {
      cont.resolve = resolve;
      cont.reject = reject;
    });
    if (isObjectLike(value)) {
      cont.waiting = true;
      this.waitingCount++;
      this.everWaited.push(cont);
      whenSettled(
        value,
        task,
        (v) => this.settle(cont, true, v),
        (e) => this.settle(cont, false, e),
      );
    } else {
      cont.value = value;
      this.makeReady(cont);
    }
    enterTask(caller);
    return promise;
  }

  /** Arms (or re-arms) a virtual timer `delay` virtual milliseconds from now. */
  schedule(handle: VirtualTimeout): void {
    if (handle.entry !== undefined) handle.entry.cancelled = true;
    handle.entry = undefined;
    if (this.finished) return;
    const entry = new TimerEntry(handle, this.clock.now + handle.delay, this.seq++);
    handle.entry = entry;
    this.timers.push(entry);
  }

  /** A violation raised outside the step loop (an unhandled rejection, an uncaught exception). */
  report(violation: Violation): void {
    this.end({ kind: 'violation', violation });
  }

  // ---- reading the outcome ----

  /** The decisions made in recorded phases: the schedule, without its seed. */
  decisions(): Decision[] {
    const decisions: Decision[] = [];
    for (let i = 0; i < this.choices.length; i += 2) decisions.push({ choice: this.choices[i]!, of: this.choices[i + 1]! });
    return decisions;
  }

  /** The entity (task index, or the timers) of every recorded step. */
  entities(): number[] {
    return this.records.map(entityOf);
  }

  /** The recorded steps as a person reads them. */
  trace(cwd: string): TraceStep[] {
    const preempted = new Set(this.preemptedAt);
    return this.records.map((r, i): TraceStep => {
      const preemption = preempted.has(i) ? { preemption: true as const } : {};
      if (r instanceof StartOption) return { kind: 'start', task: r.owner.name, ...preemption };
      if (r instanceof Continuation) return { kind: 'resume', task: r.owner.name, location: r.location, ...preemption };
      const location = r.handle.location(cwd);
      return {
        kind: 'timer',
        task: r.handle.owner.name,
        ...(location === undefined ? {} : { location }),
        // A timer fires at its deadline: the clock never passes an armed timer's deadline.
        time: r.deadline - this.config.epoch,
        ...preemption,
      };
    });
  }

  // ---- the step loop ----

  /** Runs as a promise reaction of race-hunt's own (counted: see the probe). */
  private settle(cont: Continuation, ok: boolean, value: unknown): void {
    this.ownReactions++;
    if (this.finished || !cont.waiting) return;
    cont.waiting = false;
    this.waitingCount--;
    cont.ok = ok;
    cont.value = value;
    this.makeReady(cont);
    this.queueCheck();
  }

  /** Adds to `ready`, keeping it in canonical order (usually at the end: the newest await of the last task). */
  private makeReady(cont: Continuation): void {
    if (this.stopRecordingHook !== undefined) cont.readiedAt = this.currentStep();
    cont.owner.readyCount++;
    const ready = this.ready;
    let i = ready.length;
    ready.push(cont);
    while (i > 0 && compareOptions(ready[i - 1]!, cont) > 0) {
      ready[i] = ready[i - 1]!;
      i--;
    }
    ready[i] = cont;
  }

  private startTask(task: Task): void {
    if (task.abandoned) return;
    task.started = true;
    this.liveTasks++;
    let result: unknown;
    try {
      result = runAsTask(task, () => task.body());
    } catch (error) {
      this.taskSettled(task, false, error);
      return;
    }
    if (isObjectLike(result)) {
      const caller = leaveTask();
      whenSettled(
        result,
        task,
        (v) => {
          this.ownReactions++;
          this.taskSettled(task, true, v);
        },
        (e) => {
          this.ownReactions++;
          this.taskSettled(task, false, e);
        },
      );
      enterTask(caller);
    } else {
      this.taskSettled(task, true, result);
    }
  }

  private taskSettled(task: Task, ok: boolean, value: unknown): void {
    if (this.finished || task.abandoned) return;
    task.settled = true;
    this.liveTasks--;
    if (!ok) {
      this.end({ kind: 'task-failed', task, error: value });
      return;
    }
    task.result = value;
    this.queueCheck();
  }

  /** Called right after a step was performed: wait for the step's effects to settle. */
  private afterStep(): void {
    if (this.endPhase === undefined) return;
    this.awaiting = true;
    this.queueCheck();
  }

  /**
   * Checks once every queue has drained, so that everything the step set off has run; what
   * still waits is blocked (on another task, a virtual timer) or on the outside world.
   *
   * How: a probe, a reaction queued behind everything the step queued. If no reaction but the
   * probe and race-hunt's own ran between queueing it and running it (V8's promise hooks count
   * every reaction and thenable job), the microtask queue held nothing else when the probe was
   * queued, and nothing ran that could have queued more: it is drained, and the check runs at
   * once. If others ran, a new probe goes behind what they queued. Callbacks queued with
   * `queueMicrotask` or `process.nextTick` fire no promise hook, so they are counted as queued
   * (`queued-callbacks.ts`): the probe goes behind pending microtasks, and waits for pending
   * ticks in a tick of its own, which Node runs after them (it drains the tick queue before
   * the microtasks those ticks queued, so the probe is queued only once no user tick is left).
   */
  private queueCheck(): void {
    if (this.checkQueued || !this.awaiting) return;
    this.checkQueued = true;
    this.queueProbe();
  }

  private readonly queueProbe = (): void => {
    this.probeMark = reactionsSoFar();
    this.probeOwnMark = this.ownReactions;
    RESOLVED.then(this.probe);
  };

  private readonly probe = (): void => {
    if (queuedTicks() !== 0) {
      ownNextTick(this.probeAfterTicks);
      return;
    }
    // The probe's own reaction is the 1.
    const others = reactionsSoFar() - this.probeMark - 1 - (this.ownReactions - this.probeOwnMark);
    if (others !== 0 || queuedMicrotasks() !== 0) {
      this.queueProbe();
      return;
    }
    this.inReaction = true;
    try {
      this.check();
    } finally {
      this.inReaction = false;
    }
  };

  private readonly probeAfterTicks = (): void => {
    if (queuedTicks() !== 0) ownNextTick(this.probeAfterTicks);
    else this.queueProbe();
  };

  private readonly check = (): void => {
    this.checkQueued = false;
    if (this.awaiting && !this.finished) this.decide(false);
  };

  private armMacrotask(): void {
    if (this.macrotaskArmed) return;
    this.macrotaskArmed = true;
    inNextMacrotask(this.onMacrotask);
  }

  private readonly onMacrotask = (): void => {
    this.macrotaskArmed = false;
    if (this.awaiting && !this.finished) this.decide(true);
  };

  /** Chooses and performs the next step. `exact`: the microtask queue is known to be empty. */
  private decide(exact: boolean): void {
    const phase = this.phase!;
    if (phase.endWhenTasksSettle && phase.tasks.every((t) => t.settled)) {
      this.end({ kind: 'done' });
      return;
    }
    if (phase.record && this.config.always !== undefined && this.phaseSteps > 0) {
      const violation = this.config.always();
      if (violation !== undefined) {
        this.end({ kind: 'violation', violation });
        return;
      }
    }
    const only = this.onlyOption();
    const options = only === undefined ? this.options() : undefined;
    if (only === undefined && options!.length === 0) {
      if (exact) this.idle();
      else this.armMacrotask();
      return;
    }
    if (this.phaseSteps >= this.config.maxSteps) {
      this.end({
        kind: 'violation',
        violation: {
          kind: 'step-limit',
          message: `no end after ${this.config.maxSteps} steps (likely a livelock, or raise --max-steps)`,
        },
      });
      return;
    }
    if (options === undefined) {
      this.awaiting = false;
      if (this.stopRecordingHook !== undefined) this.beginStep(only!, [only!], -1);
      this.perform(only!, phase.record);
      return;
    }
    let index = 0;
    {
      try {
        index = phase.chooser.choose(options, this.choices.length >> 1, this.previous);
      } catch (error) {
        if (error instanceof ScheduleDivergence) {
          this.end({ kind: 'diverged', decision: error.decision, message: error.message });
          return;
        }
        throw error;
      }
      if (phase.record) {
        this.choices.push(index, options.length);
        if (this.isPreemption(options, index)) {
          this.preemptions++;
          this.preemptedAt.push(this.steps);
        }
      }
    }
    this.awaiting = false;
    if (this.stopRecordingHook !== undefined) this.beginStep(options[index]!, options.slice(), (this.choices.length >> 1) - 1);
    this.perform(options[index]!, phase.record);
  }

  /**
   * Choosing `options[index]` switches away from the previous step's task while it could go
   * on. For a task that is a count kept as continuations become ready (no scan of the options).
   */
  private isPreemption(options: readonly Option[], index: number): boolean {
    const previous = this.previous;
    if (previous === undefined || previous instanceof TimerEntry) return isPreemption(options, index, previous);
    const chosen = options[index]!;
    const sameTask = chosen.task === previous.task && !(chosen instanceof TimerEntry);
    return !sameTask && previous.owner.readyCount > 0;
  }

  /** The option when there is exactly one (a forced step: no list, no choice), else undefined. */
  private onlyOption(): Option | undefined {
    const count = this.unstarted.length + this.ready.length;
    if (count > 1) return undefined;
    const timer = this.timers.peek();
    if (count === 0) return timer;
    if (timer !== undefined && this.config.timers === 'fuzz') return undefined;
    return this.unstarted[0] ?? this.ready[0];
  }

  /**
   * Every option, in canonical order: a merge of the starts (in task order), the ready
   * continuations (kept in order) and the next timer, into a reused buffer (no sort, no allocation).
   */
  private options(): Option[] {
    // Overwritten in place and trimmed at the end: setting the length to 0 would drop the
    // backing store, and every push would then allocate a new one.
    const starts = this.unstarted;
    const ready = this.ready;
    const timer = this.timers.peek();
    const timerOffered = timer !== undefined && (this.config.timers === 'fuzz' || starts.length + ready.length === 0);
    // Usually every task has started and no timer is armed: the ready list is the answer as it is.
    if (starts.length === 0 && !timerOffered) return ready;
    const options = this.optionBuffer;
    let n = 0;
    let s = 0;
    let r = 0;
    while (s < starts.length && r < ready.length) options[n++] = compareOptions(starts[s]!, ready[r]!) <= 0 ? starts[s++]! : ready[r++]!;
    while (s < starts.length) options[n++] = starts[s++]!;
    while (r < ready.length) options[n++] = ready[r++]!;
    if (timerOffered) {
      let at = n++;
      while (at > 0 && compareOptions(options[at - 1]!, timer) > 0) {
        options[at] = options[at - 1]!;
        at--;
      }
      options[at] = timer!;
    }
    if (options.length !== n) options.length = n;
    return options;
  }

  private perform(option: Option, record: boolean): void {
    this.phaseSteps++;
    if (!(option instanceof TimerEntry)) {
      option.owner.resumedAt = this.seq;
      option.owner.segmentCaller = option instanceof Continuation ? option.caller : undefined;
    }
    this.externalSince = undefined;
    this.previous = option;
    if (record) {
      this.steps++;
      this.phase!.chooser.observe?.(option);
    }
    if (option instanceof Continuation) {
      removeItem(this.ready, option);
      option.owner.readyCount--;
      if (record) {
        this.records.push(option);
        const location = locationIdOf(this.coverage, option.location);
        this.hashStep(option.task, location);
        // Kept within V8's small-integer range: keys that are heap numbers made every
        // Set operation allocate, and the young-generation GC then dominated exploration.
        const pair = pairKey(this.lastResumed, location);
        if (!this.coverage.awaitPairs.has(pair)) {
          this.coverage.awaitPairs.add(pair);
          this.newAwaitPairs++;
        }
        this.lastResumed = location;
      }
      // Resolving queues the continuation's resumption (the instrumented code awaits the
      // gate's promise): right after that reaction, ask for the check (see queueCheck).
      if (option.ok) option.resolve(option.value);
      else option.reject(option.value);
      if (this.endPhase !== undefined) {
        this.awaiting = true;
        this.checkQueued = true;
        runAfterNextReaction(this.queueProbe, this.inReaction);
      }
    } else if (option instanceof StartOption) {
      removeItem(this.unstarted, option);
      if (record) {
        this.records.push(option);
        this.hashStep(option.task, -1);
      }
      this.startTask(option.owner);
      this.afterStep();
    } else {
      this.timers.pop();
      this.clock.now = Math.max(this.clock.now, option.deadline);
      const handle = option.handle;
      if (record) {
        this.records.push(option);
        this.hashStep(option.task, -2);
      }
      handle.entry = undefined;
      // An interval re-arms before its callback runs, so clearInterval inside the callback cancels it.
      if (handle.interval) this.schedule(handle);
      try {
        runAsTask(handle.owner, () => handle.fire());
      } catch (error) {
        this.end({ kind: 'violation', violation: failure(`a timer set by ${handle.owner.name}`, error) });
      }
      this.afterStep();
    }
  }

  /** Nothing can run and the microtask queue is empty: done, waiting on the outside world, or deadlocked. */
  private idle(): void {
    if (this.waitingCount === 0 && this.liveTasks === 0 && !this.timers.hasRefed()) {
      this.end({ kind: 'done' });
      return;
    }
    if (externalWorkInFlight()) {
      // Dynamic imports or real I/O are still under way: wait for them, not a deadlock,
      // unless they never finish.
      const now = real.performanceNow();
      this.externalSince ??= now;
      if (now - this.externalSince < EXTERNAL_WAIT_LIMIT_MS) {
        real.setTimeout(this.onMacrotask, 1);
        this.macrotaskArmed = true;
        return;
      }
    }
    const violation = this.deadlock();
    const waited = this.externalSince === undefined ? '' : ` (real I/O in flight did not finish within ${EXTERNAL_WAIT_LIMIT_MS / 1000}s)`;
    this.end({ kind: 'violation', violation: { ...violation, message: violation.message + waited } });
  }

  private deadlock(): Violation {
    // One entry per task, at its innermost wait; the others are usually the calls that lead
    // there. The task's last segment suspended first at its innermost await, then at each
    // caller's await as the promises returned up the chain (so: ascending creation order);
    // awaits from earlier segments are callers further out (the more recent, the closer).
    const byTask = new Map<Task, Continuation[]>();
    for (const cont of this.everWaited) {
      if (!cont.waiting) continue;
      const list = byTask.get(cont.owner);
      if (list === undefined) byTask.set(cont.owner, [cont]);
      else list.push(cont);
    }
    const blocked: BlockedTask[] = [...byTask].map(([task, conts]) => {
      const recent = (c: Continuation): boolean => c.seq >= task.resumedAt;
      const [inner, ...outer] = conts.sort((a, b) =>
        recent(a) !== recent(b) ? (recent(a) ? -1 : 1) : recent(a) ? a.seq - b.seq : b.seq - a.seq,
      );
      return { task: task.name, location: inner!.location, ...(outer.length === 0 ? {} : { via: outer.map((c) => c.location) }) };
    });
    for (const task of this.phase!.tasks) {
      if (task.started && !task.settled && !byTask.has(task)) blocked.push({ task: task.name });
    }
    const names = [...new Set(blocked.map((b) => b.task))];
    const message =
      names.length === 0
        ? 'work is unfinished but nothing can run'
        : `${names.join(', ')} ${names.length === 1 ? 'waits' : 'wait'} forever; nothing else can run`;
    return { kind: 'deadlock', message, blocked };
  }

  private end(end: PhaseEnd): void {
    if (this.endPhase === undefined) return;
    const resolve = this.endPhase;
    this.endPhase = undefined;
    this.awaiting = false;
    if (this.stopRecordingHook !== undefined) this.stopRecording();
    if (end.kind === 'done' && this.phase!.record) {
      try {
        this.phase!.chooser.finish?.(this.choices.length >> 1);
      } catch (error) {
        if (!(error instanceof ScheduleDivergence)) throw error;
        end = { kind: 'diverged', decision: error.decision, message: error.message };
      }
    }
    if (end.kind !== 'done') this.abandon();
    resolve(end);
  }

  // ---- partial-order reduction: what each step touched ----

  /** The recorded step running now (0-based), or -1 before the first. Asked only while recording. */
  private currentStep(): number {
    return this.steps - 1;
  }

  private startRecording(): void {
    const recorder = this.config.recorder;
    if (recorder !== undefined) {
      recorder.active = true;
      setRecorder(recorder);
    }
    this.stopRecordingHook = recorder === undefined ? () => {} : (promiseHooks.onSettled(recordSettled) as () => void);
  }

  private stopRecording(): void {
    this.closeStep();
    this.stopRecordingHook!();
    this.stopRecordingHook = undefined;
    if (this.config.recorder !== undefined) {
      this.config.recorder.active = false;
      setRecorder(undefined);
    }
  }

  /** `decision`: the index of the decision that chose `option`, or -1 for a forced step. */
  private beginStep(option: Option, options: readonly Option[], decision: number): void {
    this.closeStep();
    this.openStep = { option, options, decision };
  }

  /** Reports the step that just finished, with everything it (and the check after it) touched. */
  private closeStep(): void {
    const open = this.openStep;
    if (open === undefined) return;
    this.openStep = undefined;
    const footprint = this.config.recorder?.takeFootprint() ?? OPAQUE;
    const option = open.option;
    const cont = option instanceof Continuation ? option : undefined;
    this.phase!.chooser.stepped!({
      option,
      options: open.options,
      decision: open.decision,
      createdBy: cont?.createdAt ?? -1,
      readiedBy: cont?.readiedAt ?? -1,
      // A timer step moves the clock and runs whatever was armed: it is ordered with every step.
      footprint: option instanceof TimerEntry ? OPAQUE : footprint,
    });
  }

  /** FNV-1a over (task, location) pairs, kept to 30 bits so it stays a small integer (no allocation). */
  private hashStep(task: number, location: number): void {
    let h = this.interleaving;
    h = Math.imul(h ^ (task & 0xffff), 0x01000193);
    h = Math.imul(h ^ (location & 0xffffff), 0x01000193);
    this.interleaving = h & 0x3fffffff;
  }
}

/** An exception violation for `who`. */
export function failure(who: string, error: unknown): Violation {
  const { message, stack } = describeError(error);
  return { kind: 'exception', message: `${who} failed: ${message}`, ...(stack === undefined ? {} : { stack }) };
}

/** Removes `item` from `list` in place, keeping the order (splice would allocate the removed part). */
function removeItem<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at < 0) return;
  for (let i = at; i < list.length - 1; i++) list[i] = list[i + 1]!;
  list.pop();
}

function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * Calls back once `value` settles, by a reaction of race-hunt's own. Call it with no task
 * current: a promise's reaction then needs no task tag. A thenable's then() is the user's
 * code, though, and runs as `task`.
 */
function whenSettled(value: object, task: Task, onFulfilled: (v: unknown) => void, onRejected: (e: unknown) => void): void {
  if (value instanceof Promise) Promise.resolve(value).then(onFulfilled, onRejected);
  else runAsTask(task, () => Promise.resolve(value).then(onFulfilled, onRejected));
}
