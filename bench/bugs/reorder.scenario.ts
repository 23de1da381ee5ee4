/**
 * reorder_N — SCTBench `concurrent-software-benchmarks/reorder_bad.c` (from the ESBMC
 * benchmarks; SCTBench runs it as reorder_3/4/5/10/20_bad: iSet setters + 1 checker + main).
 * https://github.com/mc-imperial/sctbench
 *
 * main creates `iSet` setter threads, then one checker. Each setter writes `a = 1` then
 * `b = -1` (unprotected, "BAD: W/W data race"); the checker asserts that (a, b) is (0, 0) or
 * (1, -1). The bug: the checker must read between some setter's two writes while no setter
 * has finished — one preemption at the right place, with every other setter idle, which gets
 * rarer as setters are added (random scheduling almost never keeps them all idle).
 *
 * Fixed: a mutex held across each setter's two writes and across the checker's reads.
 */
import { Mutex } from './lib/mutex.js';
import { program } from './lib/threads.js';
import { yieldPoint } from './lib/yield-point.js';

interface Globals {
  a: number;
  b: number;
  m: Mutex;
}

async function setThread(g: Globals): Promise<void> {
  g.a = 1;
  await yieldPoint();
  g.b = -1; /* BAD: W/W data race */
}

/** `if (!((a == 0 && b == 0) || (a == 1 && b == -1))) assert(0);` — every read a scheduling point, in C's order. */
async function check(g: Globals): Promise<void> {
  let ok = false;
  if (g.a === 0) {
    await yieldPoint();
    if (g.b === 0) ok = true;
  }
  if (!ok) {
    await yieldPoint();
    if (g.a === 1) {
      await yieldPoint();
      if (g.b === -1) ok = true;
    }
  }
  if (!ok) throw new Error(`Bug found! (a, b) read as neither (0, 0) nor (1, -1)`);
}

async function setThreadFixed(g: Globals): Promise<void> {
  await g.m.lock();
  g.a = 1;
  await yieldPoint();
  g.b = -1;
  g.m.unlock();
}

async function checkThreadFixed(g: Globals): Promise<void> {
  await g.m.lock();
  try {
    await check(g);
  } finally {
    g.m.unlock();
  }
}

function reorder(iSet: number, fixed: boolean) {
  const iCheck = 1;
  const threads: Record<string, (g: Globals) => Promise<void>> = {};
  for (let i = 0; i < iSet; i++) threads[`set${i}`] = fixed ? setThreadFixed : setThread;
  for (let i = 0; i < iCheck; i++) threads[`check${i}`] = fixed ? checkThreadFixed : check;
  return program(`reorder_${iSet} (${fixed ? 'fixed' : 'buggy'})`, {
    globals: () => ({ a: 0, b: 0, m: new Mutex() }),
    threads,
    main: async (_g, pthread) => {
      for (let i = 0; i < iSet; i++) await pthread.create(`set${i}`);
      for (let i = 0; i < iCheck; i++) await pthread.create(`check${i}`);
    },
  });
}

export const reorder2 = reorder(2, false);
export const reorder9 = reorder(9, false);
export const reorder19 = reorder(19, false);
export const reorder2Fixed = reorder(2, true);
export const reorder9Fixed = reorder(9, true);
export const reorder19Fixed = reorder(19, true);
