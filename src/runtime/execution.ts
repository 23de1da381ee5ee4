import type { Rng } from '../core/rng.js';
import { createRng, deriveSeed } from '../core/rng.js';
import { countOf, formatCount } from '../core/count.js';
import type { Decision } from '../core/schedule.js';
import type { TraceStep } from '../core/step.js';
import { compareOptions } from '../core/step.js';
import { EventLoop } from '../core/event-loop.js';
import type { Violation } from '../core/violation.js';
import type { Chooser } from '../core/strategy.js';
import { ScheduleDivergence } from '../core/strategy.js';
import { entityOf, isPreemption } from '../core/entity.js';
import type { AccessRecorder } from './access-recorder.js';
import type { Coverage } from './coverage.js';
import { locationIdOf, pairKey, siteOf } from './coverage.js';
import { diagnoseDeadlock } from './deadlock.js';
import { describeError } from './describe-error.js';
import { externalWorkInFlight, realIoSeen, realRequestsInFlight } from './external-work.js';
import { inNextMacrotask } from './macrotask.js';
import type { Option } from './options.js';
import { Continuation, LateWake, StartOption, TimerEntry } from './options.js';
import { QuiescenceProbe } from './quiescence.js';
import { ReadySet, removeItem } from './ready-set.js';
import { real } from './real-globals.js';
import { StepRecording } from './step-recording.js';
import { failExecution } from './failed-executions.js';
import { isPromise } from 'node:util/types';
import type { Task } from './task.js';
import { enterTask, leaveTask, reactionsSoFar, runAsTask, setAmbientTask } from './task-context.js';
import { recordAwait } from './tracking-globals.js';
import type { VirtualTimeout } from './virtual-timeout.js';
import { isObjectLike } from '../core/is-object-like.js';

import { beatDecision, beatStep } from './heartbeat.js';

export { Continuation } from './options.js';

export interface ExecutionConfig {
  /**
   * Steps per phase scheduled as the chooser likes; after as many more scheduled fairly, a
   * phase that still has not ended is a `step-limit` violation (likely a livelock).
   */
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
  /**
   * Replaying a run that hung: end before beginning this recorded step (1-based), as a
   * `timeout` whose trace ends with the step that did not finish.
   */
  readonly stopBefore?: { readonly step: number; readonly message: string };
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

/** One internal trace record: the option performed (a timer's location is read from its stack only when reported). */
type StepRecord = Continuation | StartOption | TimerEntry;

const FROZEN: Promise<never> = new Promise(() => {});
const DONE: PhaseEnd = { kind: 'done' };

/** How long an idle execution waits for real I/O or imports before calling it a deadlock. */
const EXTERNAL_WAIT_LIMIT_MS = 10_000;
/**
 * How long a decision waits for real I/O requests in flight (file system, DNS, connects,
 * writes) to complete, so that their continuations are among the options: an operation may
 * finish before or after any other task's step, and waiting for it lets the scheduler pick
 * either. After this, the run goes on without it, once per stretch of I/O.
 */
const IO_WAIT_LIMIT_MS = 2_000;
/**
 * Macrotasks (timers, immediates) that may run in a row while a task's work is ready before
 * that work must go first: an awaited operation may take longer than a timer, but not for
 * ever (an interval must not starve the continuation that would clear it).
 */
const TIMER_STREAK_LIMIT = 100;

/**
 * One execution of a scenario under the controlled scheduler. Exactly one continuation
 * runs at a time; between steps the execution waits for quiescence (quiescence.ts) and then
 * asks the phase's chooser which option runs next: a task's start, a ready continuation
 * (ready-set.ts keeps reactions to one promise in order), or a macrotask of the virtual
 * event loop (core/event-loop.ts: timers by deadline in timers phases, immediates in check
 * phases). Only when nothing is ready does it wait for a macrotask (`macrotask.ts`) before
 * it calls the run done or deadlocked: by then unhandled rejections have been reported, and
 * real I/O or imports in flight can be seen.
 *
 * Fairness: strategies may starve a ready continuation (PCT gives a spinning task the top
 * priority; fuzzed timers may fire at every step). After `maxSteps` such steps the phase is
 * scheduled fairly (the continuation ready longest first, macrotasks only when nothing else
 * can run, as Node's microtask queue does); only a phase that does not end in as many fair
 * steps is reported as a livelock (the idea of Coyote's fair scheduling after a bound).
 */
export class Execution {
  readonly clock: { now: number };
  private randomness: Rng | undefined;
  private readonly loop = new EventLoop<TimerEntry>();
  private readonly ready = new ReadySet();
  /** Continuations whose awaited value has not settled yet: the count, and every one that ever waited (for deadlock reports). */
  private waitingCount = 0;
  private readonly everWaited: Continuation[] = [];
  /** The options of the decision at hand; reused, since choosers do not keep it. */
  private readonly optionBuffer: Option[] = [];
  private unstarted: StartOption[] = [];
  private liveTasks = 0;
  private seq = 0;
  private awaiting = false;
  private readonly probe = new QuiescenceProbe(() => {
    try {
      if (this.awaiting && !this.finished) this.decide(false);
    } catch (error) {
      failExecution(this, error);
    }
  });
  private macrotaskArmed = false;
  /** The options computed last include a timer or an immediate. */
  private macrotaskOffered = false;
  private ioPollArmed = false;
  private finished = false;
  private phase: Phase | undefined;
  /** When the execution began waiting, idle, for real I/O or imports to finish (real ms). */
  private externalSince: number | undefined;
  /** When the decision at hand began waiting for real I/O requests; `gaveUp`: it waited its limit in this stretch of I/O. */
  private ioSince: number | undefined;
  private ioGaveUp = false;
  /** The step performed last: strategies count a switch away from its task as a preemption. */
  private previous: Option | undefined;
  private endPhase: ((end: PhaseEnd) => void) | undefined;
  /** Reports steps to the chooser's `stepped` (partial-order reduction), while a phase is recorded for it. */
  private recording: StepRecording | undefined;

  /** Steps of recorded phases. */
  steps = 0;
  /** Decisions that switched away from a task that could have gone on. */
  preemptions = 0;
  /** Indexes (0-based) of the recorded steps that were preemptions, ascending. */
  private readonly preemptedAt: number[] = [];
  private phaseSteps = 0;
  /** Macrotasks run in a row while a task's work was ready (see TIMER_STREAK_LIMIT). */
  private timerStreak = 0;
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
    this.timerStreak = 0;
    this.previous = undefined;
    if (phase.record && phase.chooser.stepped !== undefined) this.recording = new StepRecording(phase.chooser, this.config.recorder);
    if (phase.startsAreChoices) {
      this.unstarted = phase.tasks.map((t) => new StartOption(t));
    } else {
      // Started at once. Most setups and checks are synchronous: then the phase is over
      // before any microtask, and costs nothing more.
      let ended: PhaseEnd | undefined;
      this.endPhase = (end) => {
        ended = end;
      };
      setAmbientTask(phase.tasks[0]);
      for (const task of phase.tasks) this.startTask(task);
      if (ended === undefined && phase.endWhenTasksSettle && phase.tasks.every((t) => t.settled)) ended = DONE;
      if (ended !== undefined) {
        this.endPhase = undefined;
        setAmbientTask(undefined);
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
    this.stopRecording();
    setAmbientTask(undefined);
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
    this.ready.clear();
    for (const cont of this.everWaited) cont.waiting = false;
    this.everWaited.length = 0;
    this.waitingCount = 0;
    this.unstarted = [];
    this.loop.clear();
    this.liveTasks = 0;
    this.awaiting = false;
  }

  // ---- called by instrumented code (through the runtime globals) ----

  /**
   * An instrumented `await value` in `task`: suspends until the scheduler grants the
   * continuation. `orderKey`: the promise whose reactions it is ordered with (default: `value`
   * when it is a native promise; a `.then` callback passes the promise it was registered on).
   */
  gate(task: Task, value: unknown, location: string, orderKey?: object): Promise<unknown> {
    if (this.finished || task.abandoned) return FROZEN;
    // isPromise, not instanceof: a proxy's traps (a revoked one throws) are the user's to run, as a thenable's then.
    const native = isObjectLike(value) && isPromise(value);
    const key = orderKey ?? (native ? value : undefined);
    const cont = new Continuation(task, location, this.seq++, key);
    if (this.recording !== undefined) {
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
        native,
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

  /** Arms (or re-arms) a virtual timer `delay` virtual milliseconds from now, or queues an immediate. */
  schedule(handle: VirtualTimeout): void {
    if (handle.entry !== undefined) handle.entry.cancelled = true;
    handle.entry = undefined;
    if (this.finished) return;
    const entry = new TimerEntry(handle, this.clock.now + handle.delay, this.seq++);
    handle.entry = entry;
    this.loop.arm(entry);
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
        time: r.firedAt - this.config.epoch,
        ...(r.immediate ? { immediate: true as const } : {}),
        ...preemption,
      };
    });
  }

  // ---- the step loop ----

  /**
   * Runs as a promise reaction of race-hunt's own (counted: see the probe). Like every entry
   * from a callback, it turns race-hunt's own exception into an internal failure of the run
   * (failed-executions.ts) rather than an unhandled rejection blamed on the user's code.
   */
  private settle(cont: Continuation, ok: boolean, value: unknown): void {
    this.probe.ownReaction();
    if (this.finished || !cont.waiting) return;
    try {
      cont.waiting = false;
      this.waitingCount--;
      cont.ok = ok;
      cont.value = value;
      this.makeReady(cont);
      this.queueCheck();
    } catch (error) {
      failExecution(this, error);
    }
  }

  private makeReady(cont: Continuation): void {
    if (this.recording !== undefined) cont.readiedAt = this.currentStep();
    this.ready.add(cont, reactionsSoFar());
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
        isPromise(result),
        task,
        (v) => {
          this.probe.ownReaction();
          this.taskSettledSafely(task, true, v);
        },
        (e) => {
          this.probe.ownReaction();
          this.taskSettledSafely(task, false, e);
        },
      );
      enterTask(caller);
    } else {
      this.taskSettled(task, true, result);
    }
  }

  private taskSettledSafely(task: Task, ok: boolean, value: unknown): void {
    try {
      this.taskSettled(task, ok, value);
    } catch (error) {
      failExecution(this, error);
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

  /** Asks for a decision once everything queued has run (see quiescence.ts). */
  private queueCheck(): void {
    if (this.awaiting) this.probe.request();
  }

  private armMacrotask(): void {
    if (this.macrotaskArmed) return;
    this.macrotaskArmed = true;
    inNextMacrotask(this.onMacrotask);
  }

  private readonly onMacrotask = (): void => {
    this.macrotaskArmed = false;
    this.decideExactly();
  };

  private readonly onIoPoll = (): void => {
    this.ioPollArmed = false;
    this.decideExactly();
  };

  /** From a macrotask of race-hunt's own: the microtask queue is empty. */
  private decideExactly(): void {
    try {
      if (this.awaiting && !this.finished) this.decide(true);
    } catch (error) {
      failExecution(this, error);
    }
  }

  /** Chooses and performs the next step. `exact`: the microtask queue is known to be empty. */
  private decide(exact: boolean): void {
    const phase = this.phase!;
    if (phase.endWhenTasksSettle && phase.tasks.every((t) => t.settled)) {
      this.end({ kind: 'done' });
      return;
    }
    const fair = this.phaseSteps >= this.config.maxSteps;
    const options = this.options(fair || this.timerStreak >= TIMER_STREAK_LIMIT);
    if (!exact && (options.length === 0 || this.macrotaskOffered)) {
      // Idle, or a macrotask may run: decide from a macrotask of our own, once the tick queue
      // has drained too (Node's own deferred work, which race-hunt cannot count, goes before
      // any timer, as in Node). The check after the step waits for that decision.
      this.armMacrotask();
      return;
    }
    if (phase.record && this.config.always !== undefined && this.phaseSteps > 0) {
      const violation = this.config.always();
      if (violation !== undefined) {
        this.end({ kind: 'violation', violation });
        return;
      }
    }
    if (options.length === 0) {
      this.idle();
      return;
    }
    if (this.waitForIo()) return;
    if (options.length === 1) {
      this.step(options[0]!, options, -1);
      return;
    }
    if (fair) {
      // Deterministic given the run so far: a replay reaches the same choice without recording it.
      this.step(options[longestReady(options)]!, options, -1);
      return;
    }
    let index: number;
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
      beatDecision(index, options.length);
      if (this.isPreemption(options, index)) {
        this.preemptions++;
        this.preemptedAt.push(this.steps);
      }
    }
    this.step(options[index]!, options, (this.choices.length >> 1) - 1);
  }

  /** Performs `option` unless the phase has run out of steps. `decision`: its decision's index, or -1 when forced. */
  private step(option: Option, options: readonly Option[], decision: number): void {
    if (this.phaseSteps >= 2 * this.config.maxSteps) {
      const n = this.config.maxSteps;
      this.end({
        kind: 'violation',
        violation: {
          kind: 'step-limit',
          message:
            `no end after ${countOf(2 * n, 'step')}, ${n === 1 ? 'the last one' : `the last ${formatCount(n)} of them`} scheduled fairly (the continuation ready longest ` +
            'first, timers only when nothing else can run): likely a livelock, or raise --max-steps',
        },
      });
      return;
    }
    const stop = this.config.stopBefore;
    if (stop !== undefined && this.phase!.record && this.steps + 1 >= stop.step) {
      this.records.push(option.kind === 'timer' ? entryOf(option) : (option as StepRecord));
      this.end({ kind: 'violation', violation: { kind: 'timeout', message: stop.message } });
      return;
    }
    this.awaiting = false;
    if (this.recording !== undefined) this.recording.begin(option, options.slice(), decision);
    this.perform(option, this.phase!.record);
  }

  /**
   * While real I/O requests are in flight, waits (a real macrotask at a time) for them to
   * complete before a decision, up to IO_WAIT_LIMIT_MS per stretch of I/O. Returns true while waiting.
   */
  private waitForIo(): boolean {
    if (this.ioPollArmed) return true;
    // A task waits on I/O through an await (then a continuation is waiting), or through a
    // callback (seen in flight when the run idles, which sets realIoSeen for every later
    // decision): most decisions of scenarios without I/O skip the query.
    if (this.waitingCount === 0 && !realIoSeen()) return false;
    const inFlight = realRequestsInFlight();
    if (inFlight.length === 0) {
      this.ioSince = undefined;
      this.ioGaveUp = false;
      return false;
    }
    if (this.ioGaveUp) return false;
    const now = real.performanceNow();
    this.ioSince ??= now;
    if (now - this.ioSince >= IO_WAIT_LIMIT_MS) {
      this.ioGaveUp = true;
      return false;
    }
    this.ioPollArmed = true;
    real.setImmediate(this.onIoPoll);
    return true;
  }

  /**
   * Choosing `options[index]` switches away from the previous step's task while it could go
   * on. For a task that is a count kept as continuations become ready (no scan of the options).
   */
  private isPreemption(options: readonly Option[], index: number): boolean {
    const previous = this.previous;
    if (previous === undefined || previous.kind === 'timer') return isPreemption(options, index, previous);
    const chosen = options[index]!;
    const sameTask = chosen.task === previous.task && chosen.kind !== 'timer';
    return !sameTask && previous.owner.readyCount > 0;
  }

  /**
   * Every option, in canonical order: the starts (in task order), the ready continuations
   * (kept in order) and the macrotasks the event loop may run next, merged into a reused
   * buffer (no sort, no allocation) — or the ready list itself when it is all there is.
   * Macrotasks are offered at any step under `--timers fuzz` (an awaited operation may take
   * longer than a timer), only when nothing else can run under `strict`, fair scheduling and
   * after a long streak of macrotasks (`macrotasksLast`), and never when nothing but
   * `unref()`ed timers is left (they keep nothing alive).
   */
  private options(macrotasksLast: boolean): Option[] {
    const starts = this.unstarted;
    const ready = this.ready.list;
    const strict = macrotasksLast || this.config.timers === 'strict';
    const busy = starts.length + ready.length > 0;
    const macro = (strict && busy) || !this.workRemains(busy) ? undefined : this.loop.peek(this.clock.now);
    const immediate = macro?.immediate;
    const timer = macro?.timer;
    this.macrotaskOffered = immediate !== undefined || timer !== undefined;
    // Usually every task has started and no timer is armed: the ready list is the answer as it is.
    if (starts.length === 0 && immediate === undefined && timer === undefined) return ready;
    // Overwritten in place and trimmed at the end: setting the length to 0 would drop the
    // backing store, and every push would then allocate a new one.
    const options = this.optionBuffer;
    let n = 0;
    let s = 0;
    let r = 0;
    while (s < starts.length && r < ready.length) options[n++] = compareOptions(starts[s]!, ready[r]!) <= 0 ? starts[s++]! : ready[r++]!;
    while (s < starts.length) options[n++] = starts[s++]!;
    while (r < ready.length) options[n++] = ready[r++]!;
    if (immediate !== undefined) n = insertSorted(options, n, immediate);
    if (timer !== undefined) {
      n = insertSorted(options, n, timer);
      if (macro!.opens && !strict) {
        for (const later of this.loop.lateWakes(timer, this.clock.now)) n = insertSorted(options, n, new LateWake(timer, later.deadline, this.seq++));
      }
    }
    if (options.length !== n) options.length = n;
    return options;
  }

  /** True while something keeps the run going: a task or continuation not done, or a timer that is not `unref()`ed. */
  private workRemains(busy: boolean): boolean {
    return busy || this.liveTasks > 0 || this.waitingCount > 0 || this.loop.hasRefed();
  }

  /** What every step does first: counts it, and notes whose it is. */
  private beginStep(option: Option, record: boolean): void {
    this.phaseSteps++;
    const owner = option.kind === 'timer' ? entryOf(option).handle.owner : option.owner;
    if (option.kind !== 'timer') {
      owner.resumedAt = this.seq;
      owner.segmentCaller = option instanceof Continuation ? option.caller : undefined;
    }
    setAmbientTask(owner);
    if (option.kind !== 'timer') this.timerStreak = 0;
    else if (this.ready.list.length + this.unstarted.length > 0) this.timerStreak++;
    this.externalSince = undefined;
    this.previous = option;
    if (record) {
      this.steps++;
      beatStep(this.steps);
      this.phase!.chooser.observe?.(option);
    }
  }

  /** Resolving the gate queues the continuation's resumption (the instrumented code awaits the gate's promise). */
  private resume(cont: Continuation, record: boolean): void {
    this.ready.take(cont);
    if (record) {
      this.records.push(cont);
      const location = locationIdOf(this.coverage, cont.location);
      this.hashStep(cont.task, this.coverage.locationHashes[location]!);
      // Kept within V8's small-integer range: keys that are heap numbers made every
      // Set operation allocate, and the young-generation GC then dominated exploration.
      const pair = pairKey(this.lastResumed, location);
      if (!this.coverage.awaitPairs.has(pair)) {
        this.coverage.awaitPairs.set(pair, this.coverage.run);
        this.newAwaitPairs++;
      }
      this.lastResumed = location;
    }
    if (cont.ok) cont.resolve(cont.value);
    else cont.reject(cont.value);
  }

  private perform(option: Option, record: boolean): void {
    this.beginStep(option, record);
    if (option instanceof Continuation) {
      this.resume(option, record);
      // Reactions queued together run back to back, before anything the first of them
      // queues: their resumptions go into the microtask queue now, one behind the other.
      for (let next = this.ready.forced; next !== undefined; next = this.ready.forced) {
        this.recording?.begin(next, [next], -1);
        this.beginStep(next, record);
        this.resume(next, record);
      }
      // Right after the first resumption's reaction, ask for the check (see quiescence.ts).
      if (this.endPhase !== undefined) {
        this.awaiting = true;
        this.probe.requestAfterNextReaction();
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
      const entry = entryOf(option);
      this.clock.now = this.loop.take(entry, this.clock.now, option instanceof LateWake ? option.wake : undefined);
      entry.firedAt = this.clock.now;
      const handle = entry.handle;
      if (record) {
        this.records.push(entry);
        this.hashStep(entry.task, -2);
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
    if (this.waitingCount === 0 && this.liveTasks === 0 && !this.loop.hasRefed()) {
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
    const violation = diagnoseDeadlock(this.everWaited, this.phase!.tasks);
    const waited = this.externalSince === undefined ? '' : ` (real I/O in flight did not finish within ${EXTERNAL_WAIT_LIMIT_MS / 1000}s)`;
    this.end({ kind: 'violation', violation: { ...violation, message: violation.message + waited } });
  }

  private end(end: PhaseEnd): void {
    if (this.endPhase === undefined) return;
    const resolve = this.endPhase;
    this.endPhase = undefined;
    this.awaiting = false;
    setAmbientTask(undefined);
    this.stopRecording();
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

  private stopRecording(): void {
    this.recording?.stop();
    this.recording = undefined;
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

/** The timer (or immediate) a macrotask option runs: itself, or the earliest timer a late wake fires first. */
function entryOf(option: TimerEntry | LateWake): TimerEntry {
  return option instanceof LateWake ? option.entry : option;
}

/** Inserts `option` into the canonically ordered `options[0..n)`; returns the new length. */
function insertSorted(options: Option[], n: number, option: Option): number {
  let at = n;
  while (at > 0 && compareOptions(options[at - 1]!, option) > 0) {
    options[at] = options[at - 1]!;
    at--;
  }
  options[at] = option;
  return n + 1;
}

/**
 * Fair scheduling's pick: a start first (a request that has arrived), then the continuation
 * that has been ready longest (settled in the earliest promise reaction), as Node's microtask
 * queue would run it; a macrotask is offered only when neither is left.
 */
function longestReady(options: readonly Option[]): number {
  let best = 0;
  for (let i = 1; i < options.length; i++) {
    const a = options[i]!;
    const b = options[best]!;
    if (b instanceof StartOption) break;
    if (a instanceof StartOption || (a instanceof Continuation && b instanceof Continuation && a.settledAt < b.settledAt)) best = i;
  }
  return best;
}

/**
 * Calls back once `value` settles, by a reaction of race-hunt's own. Call it with no task
 * current: a promise's reaction then needs no task tag. A thenable's then() is the user's
 * code, though, and runs as `task`. `native`: `value` is a native promise (the caller has asked).
 */
function whenSettled(value: object, native: boolean, task: Task, onFulfilled: (v: unknown) => void, onRejected: (e: unknown) => void): void {
  if (native) Promise.resolve(value).then(onFulfilled, onRejected);
  else runAsTask(task, () => Promise.resolve(value).then(onFulfilled, onRejected));
}
