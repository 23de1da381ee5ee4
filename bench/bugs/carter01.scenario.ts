/**
 * carter01 — SCTBench `concurrent-software-benchmarks/carter01_bad.c` (from the ESBMC
 * benchmarks). https://github.com/mc-imperial/sctbench
 *
 * Two "lightswitches" (class A and class B operations; the first of a class to arrive locks
 * l, the last to leave unlocks it) share one mutex m for their counters. t2 can block on l
 * while holding m, and t1, which holds l, then waits for m to leave: a deadlock. main
 * creates a1 (t1), b1 (t2), a2 and b2 (empty threads).
 *
 * Fixed: each class counts under its own mutex (mA, mB), the usual lightswitch.
 */
import { Mutex } from './lib/mutex.js';
import { program } from './lib/threads.js';

interface Globals {
  m: Mutex;
  mB: Mutex;
  l: Mutex;
  A: number;
  B: number;
}

/** t1 (class A) and t2 (class B) differ only in their counter and the mutex that guards it. */
function lightswitch(counter: 'A' | 'B', guard: (g: Globals) => Mutex) {
  return async (g: Globals): Promise<void> => {
    const m = guard(g);
    await m.lock();
    g[counter]++;
    if (g[counter] === 1) await g.l.lock();
    m.unlock();
    // perform class A / class B operation
    await m.lock();
    g[counter]--;
    if (g[counter] === 0) g.l.unlock();
    m.unlock();
  };
}

async function idle(): Promise<void> {}

function carter01(fixed: boolean) {
  return program(`carter01 (${fixed ? 'fixed' : 'buggy'})`, {
    globals: () => ({ m: new Mutex(), mB: new Mutex(), l: new Mutex(), A: 0, B: 0 }),
    threads: {
      a1: lightswitch('A', (g) => g.m),
      b1: lightswitch('B', fixed ? (g) => g.mB : (g) => g.m),
      a2: idle,
      b2: idle,
    },
    main: async (_g, pthread) => {
      await pthread.create('a1');
      await pthread.create('b1');
      await pthread.create('a2');
      await pthread.create('b2');
    },
  });
}

export const carter01Buggy = carter01(false);
export const carter01Fixed = carter01(true);
