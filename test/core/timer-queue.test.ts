import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerQueue } from '../../src/core/timer-queue.js';
import type { QueuedTimer } from '../../src/core/timer-queue.js';

class Timer implements QueuedTimer {
  cancelled = false;
  constructor(
    readonly deadline: number,
    readonly seq: number,
    readonly ref: boolean,
  ) {}
}

type Op =
  | { kind: 'push'; deadline: number; ref: boolean }
  | { kind: 'cancel'; pick: number }
  | { kind: 'pop' }
  | { kind: 'peek' }
  | { kind: 'armed' }
  | { kind: 'clear' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('push' as const), deadline: fc.integer({ min: 0, max: 20 }), ref: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'pop' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'peek' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'armed' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

/** The reference: every armed timer, sorted by deadline then creation. */
function model(timers: readonly Timer[]): Timer[] {
  return timers.filter((t) => !t.cancelled).sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
}

describe('TimerQueue', () => {
  it('behaves like a list sorted by (deadline, seq) that skips cancelled timers', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const queue = new TimerQueue<Timer>();
        let live: Timer[] = []; // what the model holds (popped ones removed)
        let seq = 0;
        for (const op of ops) {
          switch (op.kind) {
            case 'push': {
              const timer = new Timer(op.deadline, seq++, op.ref);
              queue.push(timer);
              live.push(timer);
              break;
            }
            case 'cancel': {
              if (live.length > 0) live[op.pick % live.length]!.cancelled = true;
              break;
            }
            case 'pop': {
              const expected = model(live)[0];
              expect(queue.pop()).toBe(expected);
              live = live.filter((t) => t !== expected);
              break;
            }
            case 'peek':
              expect(queue.peek()).toBe(model(live)[0]);
              break;
            case 'armed':
              expect(queue.armed()).toEqual(model(live));
              break;
            case 'clear':
              queue.clear();
              live = [];
              break;
          }
          expect(queue.hasRefed()).toBe(model(live).some((t) => t.ref));
        }
        // Draining yields the model's order exactly.
        const drained: Timer[] = [];
        for (let t = queue.pop(); t !== undefined; t = queue.pop()) drained.push(t);
        expect(drained).toEqual(model(live));
      }),
      { numRuns: 300 },
    );
  });

  it('orders equal deadlines by creation, whatever order they are pushed in', () => {
    const queue = new TimerQueue<Timer>();
    for (const t of [new Timer(5, 3, true), new Timer(5, 1, true), new Timer(1, 9, true), new Timer(5, 2, true)]) queue.push(t);
    const order: string[] = [];
    for (let t = queue.pop(); t !== undefined; t = queue.pop()) order.push(`${t.deadline}/${t.seq}`);
    expect(order).toEqual(['1/9', '5/1', '5/2', '5/3']);
  });

  it('is empty when every timer is cancelled, and unref-only timers do not count as refed', () => {
    const queue = new TimerQueue<Timer>();
    const a = new Timer(1, 0, true);
    const b = new Timer(2, 1, false);
    queue.push(a);
    queue.push(b);
    expect(queue.hasRefed()).toBe(true);
    a.cancelled = true;
    expect(queue.hasRefed()).toBe(false);
    expect(queue.peek()).toBe(b);
    b.cancelled = true;
    expect(queue.peek()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
    expect(queue.armed()).toEqual([]);
  });
});
