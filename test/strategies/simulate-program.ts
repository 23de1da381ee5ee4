import type { Footprint } from '../../src/core/footprint.js';
import type { ChoiceOption } from '../../src/core/step.js';
import { compareOptions, START_SITE, TIMER_SITE } from '../../src/core/step.js';
import type { Chooser, StepEvent } from '../../src/core/strategy.js';

/**
 * One scheduling step of a simulated task: the variables it reads and writes, then at its
 * end optionally a lock taken (the task waits while another holds it) or given back (to
 * the first waiter), or a sleep (the task goes on when a timer fires). An opaque step
 * touches something untracked.
 */
export interface SimStep {
  readonly reads?: readonly string[];
  readonly writes?: readonly string[];
  readonly acquire?: string;
  readonly release?: string;
  readonly sleep?: true;
  readonly opaque?: true;
}

/**
 * `await Promise.all(branches)` after the step before it: the step after it waits for every
 * branch; with `first`, `await Promise.race(branches)`: it waits for the first to finish.
 */
export interface Fork {
  readonly all: readonly Sequence[];
  readonly first?: true;
}

/** A task or a branch: starts with a step; a fork is followed by a step or ends it. */
export type Sequence = readonly (SimStep | Fork)[];
export type Program = readonly Sequence[];

/** How timers are offered, as the runtime's `--timers`: always (the earliest), or only when nothing else is ready. */
export type TimerMode = 'fuzz' | 'strict';

export interface SimResult {
  /** The steps run, by label (`task:index`, a branch `task:fork/branch:index`, a timer `…~`). */
  readonly order: readonly string[];
  /** The Mazurkiewicz trace: which steps ran, and the order of every dependent pair. */
  readonly trace: string;
}

/** A sequence being run: where it came from, so that finishing it can finish its fork. */
interface Thread {
  readonly steps: Sequence;
  readonly label: string;
  readonly join: Join | undefined;
}

interface Join {
  readonly id: string;
  readonly first: boolean;
  readonly all: number;
  remaining: number;
  /** The step after the fork (created when the fork is reached); undefined when the fork ends its thread. */
  readonly after: Pending | undefined;
  readonly parent: Thread;
}

/** An option: ready once `readiedBy` is set. */
interface Pending {
  readonly option: ChoiceOption;
  readonly thread: Thread;
  readonly at: number;
  readonly label: string;
  readonly createdBy: number;
  readiedBy: number | undefined;
  /** For a timer: the sleeping step it wakes. */
  readonly wakes?: Pending;
}

interface Lock {
  held: boolean;
  readonly waiters: Pending[];
}

const isFork = (item: SimStep | Fork): item is Fork => 'all' in item;

/** Whether two steps fail to commute: the oracle for traces, reading footprints on its own (every location here is `v:`). */
function dependent(a: Footprint, b: Footprint): boolean {
  if (a.opaque || b.opaque) return true;
  const meets = (w: Footprint, o: Footprint): boolean => [...w.writes].some((x) => o.reads.has(x) || o.writes.has(x));
  return meets(a, b) || meets(b, a);
}

/**
 * Runs a program under a chooser, as the runtime would: options sorted canonically, a
 * decision only where two or more are ready, every step reported to `stepped` once the
 * next one has been picked (as the runtime does) with its footprint over `v:<name>`
 * locations (a lock `v:lock:<name>`, a race's promise `v:race:<id>` written by each branch
 * that finishes, the timer queue `v:timers` written by arming a timer; a timer's own step
 * is opaque), its creating step (the task's step before) and readying step: the step that
 * settled what it awaits, as the runtime reports them.
 */
export function simulateProgram(program: Program, chooser: Chooser, timers: TimerMode = 'fuzz'): SimResult {
  let seq = 0;
  let decisions = 0;
  let previous: ChoiceOption | undefined;
  let unreported: StepEvent | undefined;
  const pending: Pending[] = [];
  const locks = new Map<string, Lock>();
  const run: { label: string; footprint: Footprint }[] = [];

  const create = (thread: Thread, at: number, createdBy: number, kind: 'start' | 'resume' = 'resume'): Pending => {
    const task = Number(thread.label.split(':')[0]);
    const option: ChoiceOption = { kind, task, seq: seq++, site: kind === 'start' ? START_SITE : at };
    const made: Pending = { option, thread, at, label: `${thread.label}:${at}`, createdBy, readiedBy: undefined };
    pending.push(made);
    return made;
  };
  program.forEach((steps, task) => {
    create({ steps, label: `${task}`, join: undefined }, 0, -1, 'start').readiedBy = -1;
  });

  const ready = (): Pending[] => {
    const others = pending.filter((p) => p.readiedBy !== undefined && p.option.kind !== 'timer');
    // Only the earliest timer is due; under strict timers it is offered only when nothing else can run.
    const timer = pending.find((p) => p.option.kind === 'timer');
    const offered = timer !== undefined && (timers === 'fuzz' || others.length === 0) ? [timer] : [];
    return [...others, ...offered].sort((a, b) => compareOptions(a.option, b.option));
  };

  /**
   * Finishes a thread in step `step`: a branch counts down its fork, whose last branch (the
   * first, for a race) readies what follows. Branches of a race all try to settle its
   * promise, so each writes it; those of Promise.all commute.
   */
  const finish = (thread: Thread, step: number, writes: Set<string>): void => {
    const join = thread.join;
    if (join === undefined) return;
    if (join.first) writes.add(`v:race:${join.id}`);
    const settles = join.first ? join.remaining === join.all : join.remaining === 1;
    join.remaining--;
    if (!settles) return;
    if (join.after !== undefined) join.after.readiedBy = step;
    else finish(join.parent, step, writes);
  };

  /** Moves a thread past its step `at`, run as step `step`; `blockedOn` holds the next step back until the lock is given. */
  const advance = (thread: Thread, at: number, step: number, writes: Set<string>, blockedOn?: Lock): void => {
    const next = thread.steps[at + 1];
    if (next === undefined) return finish(thread, step, writes);
    if (!isFork(next)) {
      const made = create(thread, at + 1, step);
      if (blockedOn === undefined) made.readiedBy = step;
      else blockedOn.waiters.push(made);
      return;
    }
    if (blockedOn !== undefined) throw new Error('a lock must be taken by a step followed by a step');
    const id = `${thread.label}:${at + 1}`;
    // The step after the fork is the await of Promise.all (or race): it exists from here on, ready when the fork settles.
    const after = thread.steps[at + 2] === undefined ? undefined : create(thread, at + 2, step);
    const join: Join = { id, first: next.first === true, all: next.all.length, remaining: next.all.length, after, parent: thread };
    next.all.forEach((steps, b) => {
      create({ steps, label: `${id}/${b}`, join }, 0, step).readiedBy = step;
    });
  };

  const lockOf = (name: string): Lock => {
    let lock = locks.get(name);
    if (lock === undefined) locks.set(name, (lock = { held: false, waiters: [] }));
    return lock;
  };

  /** Runs a step: its effects on variables, locks, timers and forks, and what it touched. */
  const perform = (chosen: Pending, step: number): Footprint => {
    if (chosen.option.kind === 'timer') {
      chosen.wakes!.readiedBy = step;
      return { reads: new Set(), writes: new Set(), opaque: true };
    }
    const item = chosen.thread.steps[chosen.at] as SimStep;
    const reads = new Set((item.reads ?? []).map((v) => `v:${v}`));
    const writes = new Set((item.writes ?? []).map((v) => `v:${v}`));
    let blockedOn: Lock | undefined;
    if (item.acquire !== undefined) {
      const lock = lockOf(item.acquire);
      reads.add(`v:lock:${item.acquire}`);
      writes.add(`v:lock:${item.acquire}`);
      if (lock.held) blockedOn = lock;
      lock.held = true;
    }
    if (item.release !== undefined) {
      const lock = lockOf(item.release);
      writes.add(`v:lock:${item.release}`);
      const waiter = lock.waiters.shift();
      if (waiter === undefined) lock.held = false;
      else waiter.readiedBy = step;
    }
    if (item.sleep === true) {
      const next = chosen.thread.steps[chosen.at + 1];
      if (next === undefined || isFork(next)) throw new Error('a sleep must be followed by a step');
      // Arming a timer writes the timer queue: which of two timers is due first depends on it.
      writes.add('v:timers');
      const wakes = create(chosen.thread, chosen.at + 1, step);
      const timer: Pending = {
        option: { kind: 'timer', task: wakes.option.task, seq: seq++, site: TIMER_SITE },
        thread: chosen.thread,
        at: chosen.at,
        label: `${chosen.label}~`,
        createdBy: step,
        readiedBy: step,
        wakes,
      };
      pending.push(timer);
    } else {
      advance(chosen.thread, chosen.at, step, writes, blockedOn);
    }
    return { reads, writes, opaque: item.opaque === true };
  };

  for (;;) {
    const options = ready();
    if (options.length === 0) break;
    let index = 0;
    let decision = -1;
    if (options.length > 1) {
      decision = decisions++;
      index = chooser.choose(options.map((p) => p.option), decision, previous);
    }
    if (unreported !== undefined) chooser.stepped?.(unreported);
    const chosen = options[index]!;
    pending.splice(pending.indexOf(chosen), 1);
    const step = run.length;
    const footprint = perform(chosen, step);
    run.push({ label: chosen.label, footprint });
    unreported = {
      option: chosen.option,
      options: options.map((p) => p.option),
      decision,
      createdBy: chosen.createdBy,
      readiedBy: chosen.readiedBy!,
      footprint,
    };
    previous = chosen.option;
  }
  if (unreported !== undefined) chooser.stepped?.(unreported);
  chooser.finish?.(decisions);
  return { order: run.map((s) => s.label), trace: traceOf(run) };
}

/** The canonical form of an execution's Mazurkiewicz trace: its steps, and the order of each dependent pair. */
function traceOf(run: readonly { label: string; footprint: Footprint }[]): string {
  const pairs: string[] = [];
  for (let i = 0; i < run.length; i++) {
    for (let j = i + 1; j < run.length; j++) if (dependent(run[i]!.footprint, run[j]!.footprint)) pairs.push(`${run[i]!.label}<${run[j]!.label}`);
  }
  return `${run.map((s) => s.label).sort().join(' ')} | ${pairs.sort().join(' ')}`;
}

/** Runs every schedule of a program (plain depth-first enumeration of the decisions). */
export function allSchedules(program: Program, timers: TimerMode = 'fuzz'): SimResult[] {
  const results: SimResult[] = [];
  const path: { at: number; of: number }[] = [];
  for (;;) {
    let depth = 0;
    results.push(
      simulateProgram(
        program,
        {
          choose(options) {
            if (depth < path.length) return path[depth++]!.at;
            path.push({ at: 0, of: options.length });
            depth++;
            return 0;
          },
        },
        timers,
      ),
    );
    while (path.length > 0 && path[path.length - 1]!.at + 1 >= path[path.length - 1]!.of) path.pop();
    if (path.length === 0) return results;
    path[path.length - 1]!.at++;
  }
}
