/**
 * deadlock01 — SCTBench `concurrent-software-benchmarks/deadlock01_bad.c` (from the ESBMC
 * benchmarks). https://github.com/mc-imperial/sctbench
 *
 * thread1 locks a then b; thread2 locks b then a ("BAD: deadlock"): if each gets its first
 * lock before the other's second, both wait forever (race-hunt's `deadlock` violation).
 *
 * Fixed: thread2 takes the locks in the same order as thread1 (a, then b).
 */
import { Mutex } from './lib/mutex.js';
import { program } from './lib/threads.js';

interface Globals {
  a: Mutex;
  b: Mutex;
  counter: number;
}

async function thread1(g: Globals): Promise<void> {
  await g.a.lock();
  await g.b.lock(); /* BAD: deadlock */
  g.counter++;
  g.b.unlock();
  g.a.unlock();
}

async function thread2(g: Globals): Promise<void> {
  await g.b.lock();
  await g.a.lock(); /* BAD: deadlock */
  g.counter--;
  g.a.unlock();
  g.b.unlock();
}

async function thread2Fixed(g: Globals): Promise<void> {
  await g.a.lock();
  await g.b.lock();
  g.counter--;
  g.b.unlock();
  g.a.unlock();
}

function deadlock01(fixed: boolean) {
  return program(`deadlock01 (${fixed ? 'fixed' : 'buggy'})`, {
    globals: () => ({ a: new Mutex(), b: new Mutex(), counter: 1 }),
    threads: { t1: thread1, t2: fixed ? thread2Fixed : thread2 },
    main: async (_g, pthread) => {
      await pthread.create('t1');
      await pthread.create('t2');
    },
    invariant: (g) => g.counter === 1 || `counter is ${g.counter}, expected 1`,
  });
}

export const deadlock01Buggy = deadlock01(false);
export const deadlock01Fixed = deadlock01(true);
