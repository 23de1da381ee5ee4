/**
 * wronglock — SCTBench `concurrent-software-benchmarks/wronglock_bad.c` (iNum1 = 1 funcA
 * thread, iNum2 = 7 funcB threads, + main). https://github.com/mc-imperial/sctbench
 *
 * funcA increments dataValue under dataLock and asserts that nobody else changed it in
 * between; funcB increments it under a different lock, thisLock — the wrong lock, so its
 * increment can land between funcA's read and its check. `dataValue++` is a read and a
 * write, each a racy access.
 *
 * Fixed: funcB takes dataLock.
 */
import { Mutex } from './lib/mutex.js';
import { program } from './lib/threads.js';
import { yieldPoint } from './lib/yield-point.js';

interface Globals {
  dataValue: number;
  dataLock: Mutex;
  thisLock: Mutex;
}

async function funcA(g: Globals): Promise<void> {
  await g.dataLock.lock();
  const x = g.dataValue;
  await yieldPoint();
  const read = g.dataValue; // dataValue++
  await yieldPoint();
  g.dataValue = read + 1;
  await yieldPoint();
  if (g.dataValue !== x + 1) throw new Error(`Bug found! dataValue ${g.dataValue}, expected ${x + 1}`); /* BAD */
  g.dataLock.unlock();
}

function funcB(lockOf: (g: Globals) => Mutex) {
  return async (g: Globals): Promise<void> => {
    const lock = lockOf(g);
    await lock.lock();
    const read = g.dataValue; // dataValue++
    await yieldPoint();
    g.dataValue = read + 1;
    lock.unlock();
  };
}

function wronglock(fixed: boolean) {
  const iNum1 = 1;
  const iNum2 = 7;
  const threads: Record<string, (g: Globals) => Promise<void>> = {};
  for (let i = 0; i < iNum1; i++) threads[`a${i}`] = funcA;
  for (let i = 0; i < iNum2; i++) threads[`b${i}`] = funcB(fixed ? (g) => g.dataLock : (g) => g.thisLock);
  return program(`wronglock (${fixed ? 'fixed' : 'buggy'})`, {
    globals: () => ({ dataValue: 0, dataLock: new Mutex(), thisLock: new Mutex() }),
    threads,
    main: async (_g, pthread) => {
      for (let i = 0; i < iNum1; i++) await pthread.create(`a${i}`);
      for (let i = 0; i < iNum2; i++) await pthread.create(`b${i}`);
    },
  });
}

export const wronglockBuggy = wronglock(false);
export const wronglockFixed = wronglock(true);
