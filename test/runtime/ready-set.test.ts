import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Continuation } from '../../src/runtime/options.js';
import { ReadySet } from '../../src/runtime/ready-set.js';
import type { Task } from '../../src/runtime/task.js';

const task = (index: number): Task => ({ index, readyCount: 0 }) as unknown as Task;

describe('ReadySet', () => {
  it('offers the first continuation of a promise; the next one queued with it resumes right after it', () => {
    const ready = new ReadySet();
    const p = Promise.resolve();
    const [x, y, z] = [new Continuation(task(0), 'x', 1, p), new Continuation(task(1), 'y', 2, p), new Continuation(task(2), 'z', 3, undefined)];
    ready.add(x, 10);
    ready.add(y, 11); // the very next reaction: queued together with x
    ready.add(z, 12);
    expect(ready.list).toEqual([x, z]);
    ready.take(x);
    expect(ready.forced).toBe(y);
    expect(ready.list).toEqual([z]);
    ready.take(y);
    expect(ready.forced).toBeUndefined();
  });

  it('offers a later continuation of the same promise only once the earlier one has resumed, at any time after', () => {
    const ready = new ReadySet();
    const p = Promise.resolve();
    const [x, y] = [new Continuation(task(0), 'x', 1, p), new Continuation(task(1), 'y', 2, p)];
    ready.add(x, 10);
    ready.add(y, 15); // settled later, not queued together
    expect(ready.list).toEqual([x]);
    ready.take(x);
    expect(ready.forced).toBeUndefined();
    expect(ready.list).toEqual([y]);
    expect(y.owner.readyCount).toBe(1);
  });

  it('property: continuations of one promise resume in the order they settled, followers right after their predecessor', () => {
    const opArb = fc.array(fc.record({ add: fc.boolean(), key: fc.integer({ min: 0, max: 2 }), gap: fc.integer({ min: 1, max: 2 }), pick: fc.nat() }), { maxLength: 40 });
    fc.assert(
      fc.property(opArb, (ops) => {
        const ready = new ReadySet();
        const keys = [{}, {}, {}];
        const added: Continuation[] = [];
        const taken: Continuation[] = [];
        let reaction = 0;
        let seq = 0;
        for (const op of ops) {
          if (op.add) {
            reaction += op.gap;
            const cont = new Continuation(task(seq % 3), `c${seq}`, seq++, keys[op.key]);
            added.push(cont);
            ready.add(cont, reaction);
            continue;
          }
          const forced = ready.forced;
          const next = forced ?? ready.list[op.pick % Math.max(1, ready.list.length)];
          if (next === undefined) continue;
          ready.take(next);
          taken.push(next);
        }
        for (const key of keys) {
          const order = taken.filter((c) => c.orderKey === key);
          expect(order).toEqual(added.filter((c) => c.orderKey === key).slice(0, order.length));
        }
        // A follower (settled in the reaction right after its predecessor) is taken right after it.
        taken.forEach((c, i) => {
          if (c.follows) expect(taken[i - 1]!.orderKey).toBe(c.orderKey);
        });
      }),
      { numRuns: 500 },
    );
  });
});
