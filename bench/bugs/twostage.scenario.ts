/**
 * twostage_N — SCTBench `concurrent-software-benchmarks/twostage_bad.c` (1 writer) and
 * `twostage_100_bad.c` (99 writers + 1 reader + main); the SV-COMP `twostage_3` has 2 writers.
 * https://github.com/mc-imperial/sctbench
 *
 * Writers (funcA) set `data1Value = 1` under data1Lock, release it, then set
 * `data2Value = data1Value + 1` under data2Lock. The reader (funcB) returns if data1Value is
 * still 0, else reads both values (each under its lock) and asserts data2 == data1 + 1. The
 * bug: the two stages are not atomic — the reader must run between a writer's stages while
 * no writer has finished stage 2; main creates the reader last, after all the writers.
 *
 * Fixed: each writer holds data1Lock across both stages.
 */
import { Mutex } from './lib/mutex.js';
import { program } from './lib/threads.js';

interface Globals {
  data1Value: number;
  data2Value: number;
  data1Lock: Mutex;
  data2Lock: Mutex;
}

async function funcA(g: Globals): Promise<void> {
  await g.data1Lock.lock();
  g.data1Value = 1;
  g.data1Lock.unlock();

  await g.data2Lock.lock();
  g.data2Value = g.data1Value + 1;
  g.data2Lock.unlock();
}

async function funcAFixed(g: Globals): Promise<void> {
  await g.data1Lock.lock();
  g.data1Value = 1;

  await g.data2Lock.lock();
  g.data2Value = g.data1Value + 1;
  g.data2Lock.unlock();
  g.data1Lock.unlock();
}

async function funcB(g: Globals): Promise<void> {
  await g.data1Lock.lock();
  if (g.data1Value === 0) {
    g.data1Lock.unlock();
    return;
  }
  const t1 = g.data1Value;
  g.data1Lock.unlock();

  await g.data2Lock.lock();
  const t2 = g.data2Value;
  g.data2Lock.unlock();

  if (t2 !== t1 + 1) throw new Error(`Bug found! data2Value ${t2} after data1Value ${t1}`); /* BAD */
}

function twostage(iTThreads: number, fixed: boolean) {
  const iRThreads = 1;
  const threads: Record<string, (g: Globals) => Promise<void>> = {};
  for (let i = 0; i < iTThreads; i++) threads[`t${i}`] = fixed ? funcAFixed : funcA;
  for (let i = 0; i < iRThreads; i++) threads[`r${i}`] = funcB;
  return program(`twostage_${iTThreads} (${fixed ? 'fixed' : 'buggy'})`, {
    globals: () => ({ data1Value: 0, data2Value: 0, data1Lock: new Mutex(), data2Lock: new Mutex() }),
    threads,
    main: async (_g, pthread) => {
      for (let i = 0; i < iTThreads; i++) await pthread.create(`t${i}`);
      for (let i = 0; i < iRThreads; i++) await pthread.create(`r${i}`);
    },
  });
}

export const twostage2 = twostage(2, false);
export const twostage99 = twostage(99, false);
export const twostage2Fixed = twostage(2, true);
export const twostage99Fixed = twostage(99, true);
