import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoopEntry } from '../../src/core/event-loop.js';
import { EventLoop } from '../../src/core/event-loop.js';

/** A timer or an immediate, with what happened to it. */
class Entry implements LoopEntry {
  cancelled = false;
  ran = -1;
  constructor(
    readonly id: number,
    readonly immediate: boolean,
    readonly deadline: number,
    readonly seq: number,
    readonly ref: boolean,
    /** Armed while a timers phase with this wake time was open (undefined: outside one). */
    readonly armedInPhaseUntil: number | undefined,
  ) {}
}

/** A callback's plan: what it arms when it runs (delays; -1 for an immediate). */
type Program = { initial: number[]; armedByRun: number[][] };

const delays = fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 30 })), { maxLength: 3 });
const programArb: fc.Arbitrary<Program> = fc.record({
  initial: fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 5 }),
  armedByRun: fc.array(delays, { maxLength: 12 }),
});

interface Run {
  order: Entry[];
  all: Entry[];
}

/** Drives the loop: at each step takes one of what `peek` offers (or a late wake), chosen by `picks`. */
function simulate(program: Program, picks: readonly number[]): Run {
  const loop = new EventLoop<Entry>();
  const all: Entry[] = [];
  const order: Entry[] = [];
  let now = 0;
  let seq = 0;
  let wake: number | undefined;
  const arm = (delay: number): void => {
    const entry = new Entry(all.length, delay < 0, now + Math.max(delay, 0), seq++, true, wake);
    all.push(entry);
    loop.arm(entry);
  };
  program.initial.forEach(arm);
  for (let step = 0; step < 60; step++) {
    const next = loop.peek(now);
    const choices: { entry: Entry; wakeAt?: number }[] = [];
    if (next.immediate !== undefined) choices.push({ entry: next.immediate });
    if (next.timer !== undefined) {
      choices.push({ entry: next.timer });
      if (next.opens) for (const later of loop.lateWakes(next.timer, now)) choices.push({ entry: next.timer, wakeAt: later.deadline });
    }
    if (choices.length === 0) break;
    const { entry, wakeAt } = choices[(picks[step] ?? 0) % choices.length]!;
    const before = now;
    now = loop.take(entry, now, wakeAt);
    expect(now).toBeGreaterThanOrEqual(before);
    // Inside a timers phase, the wake time is the clock (what a callback reads).
    wake = entry.immediate ? undefined : now;
    entry.ran = now;
    order.push(entry);
    for (const delay of program.armedByRun[order.length - 1] ?? []) arm(delay);
  }
  return { order, all };
}

describe('EventLoop', () => {
  it('runs a timer never before its deadline, timers in deadline order, immediates in the order queued', () => {
    fc.assert(
      fc.property(programArb, fc.array(fc.nat(), { maxLength: 60 }), (program, picks) => {
        const { order } = simulate(program, picks);
        const timers = order.filter((e) => !e.immediate);
        for (const t of timers) expect(t.ran).toBeGreaterThanOrEqual(t.deadline);
        for (let i = 1; i < timers.length; i++) {
          const [a, b] = [timers[i - 1]!, timers[i]!];
          expect(a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq)).toBe(true);
        }
        const immediates = order.filter((e) => e.immediate);
        for (let i = 1; i < immediates.length; i++) expect(immediates[i - 1]!.seq).toBeLessThan(immediates[i]!.seq);
      }),
      { numRuns: 500 },
    );
  });

  it('runs every timer of an open timers phase before an immediate queued during it, and that immediate before a timer armed during it', () => {
    fc.assert(
      fc.property(programArb, fc.array(fc.nat(), { maxLength: 60 }), (program, picks) => {
        const { order } = simulate(program, picks);
        order.forEach((immediate, at) => {
          if (!immediate.immediate || immediate.armedInPhaseUntil === undefined) return;
          const wake = immediate.armedInPhaseUntil;
          for (const later of order.slice(at + 1)) {
            // A timer due at that phase's wake time, armed before the immediate, ran before it.
            if (!later.immediate && later.seq < immediate.seq) expect(later.deadline).toBeGreaterThan(wake);
          }
          for (const earlier of order.slice(0, at)) {
            // A timer armed in the same phase (due later than its wake) waits for the check phase.
            if (!earlier.immediate && earlier.seq > immediate.seq && earlier.armedInPhaseUntil === wake) expect.fail('a timer armed in the phase ran before its immediate');
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('wakes late when asked: both timers fire in one phase, at the later deadline, before the immediate the first queued (bluebird#1417)', () => {
    const loop = new EventLoop<Entry>();
    const first = new Entry(0, false, 1000, 0, true, undefined);
    const timeout = new Entry(1, false, 1001, 1, true, undefined);
    loop.arm(first);
    loop.arm(timeout);
    const next = loop.peek(0);
    expect(next).toMatchObject({ timer: first, opens: true, immediate: undefined });
    expect(loop.lateWakes(first, 0)).toEqual([timeout]);
    let now = loop.take(first, 0, 1001);
    expect(now).toBe(1001);
    const settle = new Entry(2, true, now, 2, true, now);
    loop.arm(settle);
    expect(loop.peek(now)).toMatchObject({ timer: timeout, immediate: undefined, opens: false });
    now = loop.take(timeout, now);
    expect(loop.peek(now)).toMatchObject({ immediate: settle, timer: undefined });
  });

  it('on time, the immediate a timer queued runs before a timer due later', () => {
    const loop = new EventLoop<Entry>();
    const first = new Entry(0, false, 1000, 0, true, undefined);
    const timeout = new Entry(1, false, 1001, 1, true, undefined);
    loop.arm(first);
    loop.arm(timeout);
    const now = loop.take(first, 0);
    expect(now).toBe(1000);
    const settle = new Entry(2, true, now, 2, true, now);
    loop.arm(settle);
    expect(loop.peek(now)).toMatchObject({ immediate: settle, timer: undefined });
  });

  it('after a check phase, runs the timers due before the immediates queued in it; with none due, either may go first', () => {
    const loop = new EventLoop<Entry>();
    const first = new Entry(0, true, 0, 0, true, undefined);
    loop.arm(first);
    loop.take(first, 0);
    const later = new Entry(1, true, 5, 1, true, undefined);
    const due = new Entry(2, false, 5, 2, true, undefined);
    loop.arm(later);
    loop.arm(due);
    expect(loop.peek(5)).toMatchObject({ timer: due, immediate: undefined });
    expect(loop.peek(4)).toMatchObject({ timer: due, immediate: later, opens: true });
  });

  it('counts only timers and immediates that are not unref()ed as keeping the run alive', () => {
    const loop = new EventLoop<Entry>();
    expect(loop.hasRefed()).toBe(false);
    loop.arm(new Entry(0, false, 10, 0, false, undefined));
    loop.arm(new Entry(1, true, 0, 1, false, undefined));
    expect(loop.hasRefed()).toBe(false);
    expect(loop.isEmpty()).toBe(false);
    const kept = new Entry(2, true, 0, 2, true, undefined);
    loop.arm(kept);
    expect(loop.hasRefed()).toBe(true);
    kept.cancelled = true;
    expect(loop.hasRefed()).toBe(false);
    loop.clear();
    expect(loop.isEmpty()).toBe(true);
  });
});
