/**
 * stack — SCTBench `concurrent-software-benchmarks/stack_bad.c` (from the ESBMC benchmarks).
 * https://github.com/mc-imperial/sctbench
 *
 * t1 pushes 0..9, one push per critical section, and sets `flag`; t2 pops ten times, one
 * pop per critical section, whenever `flag` is set, and asserts the pop did not underflow.
 * The bug: once t1 has pushed once, flag stays set, so t2 can pop more than t1 has pushed.
 *
 * Fixed: SCTBench's stack_ok.c — t2 pops only while the stack is not empty (top > 0).
 */
import { Mutex } from './lib/mutex.js';
import { program } from './lib/threads.js';

const SIZE = 10;
const OVERFLOW = -1;
const UNDERFLOW = -2;

interface Globals {
  m: Mutex;
  top: number;
  arr: number[];
  flag: boolean;
}

function push(g: Globals, x: number): number {
  if (g.top === SIZE) return OVERFLOW;
  g.arr[g.top] = x;
  g.top++;
  return 0;
}

function pop(g: Globals): number {
  if (g.top === 0) return UNDERFLOW;
  g.top--;
  return g.arr[g.top]!;
}

async function t1(g: Globals): Promise<void> {
  for (let i = 0; i < SIZE; i++) {
    await g.m.lock();
    if (push(g, i) === OVERFLOW) throw new Error('Bug found! stack overflow');
    g.flag = true;
    g.m.unlock();
  }
}

async function t2(g: Globals): Promise<void> {
  for (let i = 0; i < SIZE; i++) {
    await g.m.lock();
    if (g.flag && pop(g) === UNDERFLOW) throw new Error('Bug found! stack underflow'); /* BAD */
    g.m.unlock();
  }
}

async function t2Fixed(g: Globals): Promise<void> {
  for (let i = 0; i < SIZE; i++) {
    await g.m.lock();
    if (g.top > 0) pop(g);
    g.m.unlock();
  }
}

function stack(fixed: boolean) {
  return program(`stack (${fixed ? 'fixed' : 'buggy'})`, {
    globals: () => ({ m: new Mutex(), top: 0, arr: new Array<number>(SIZE).fill(0), flag: false }),
    threads: { t1, t2: fixed ? t2Fixed : t2 },
    main: async (_g, pthread) => {
      await pthread.create('t1');
      await pthread.create('t2');
    },
  });
}

export const stackBuggy = stack(false);
export const stackFixed = stack(true);
