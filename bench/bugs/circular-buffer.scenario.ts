/**
 * circular_buffer — SCTBench `concurrent-software-benchmarks/circular_buffer_bad.c` (from
 * the ESBMC benchmarks). https://github.com/mc-imperial/sctbench
 *
 * A one-slot hand-off over a 10-element log buffer: t1 loops i = 0..6 and, if `send` is
 * set, inserts i and flips to `receive`; t2 loops i = 0..6 and, if `receive` is set,
 * removes an element and asserts it equals its own i. Each iteration is one critical
 * section. The bug: an iteration that finds it is not its turn is skipped, not retried, so
 * the two loop counters drift apart and t2 receives another iteration's value.
 *
 * Fixed: each side waits (condition variable) until it is its turn, so no iteration is
 * skipped.
 */
import { CondVar } from './lib/cond.js';
import { Mutex } from './lib/mutex.js';
import { program } from './lib/threads.js';

const BUFFER_MAX = 10;
const N = 7;
const ERROR = -1;

interface Globals {
  m: Mutex;
  turn: CondVar;
  buffer: number[];
  first: number;
  next: number;
  bufferSize: number;
  send: boolean;
  receive: boolean;
}

function removeLogElement(g: Globals): number {
  if (g.next > 0 && g.first < g.bufferSize) {
    g.first++;
    return g.buffer[g.first - 1]!;
  }
  return ERROR;
}

function insertLogElement(g: Globals, b: number): number {
  if (g.next < g.bufferSize && g.bufferSize > 0) {
    g.buffer[g.next] = b;
    g.next = (g.next + 1) % g.bufferSize;
    if (!(g.next < g.bufferSize)) throw new Error('Bug found! next out of range');
  } else {
    return ERROR;
  }
  return b;
}

function t1(fixed: boolean) {
  return async (g: Globals): Promise<void> => {
    for (let i = 0; i < N; i++) {
      await g.m.lock();
      if (fixed) while (!g.send) await g.turn.wait(g.m);
      if (g.send) {
        insertLogElement(g, i);
        g.send = false;
        g.receive = true;
        if (fixed) g.turn.broadcast();
      }
      g.m.unlock();
    }
  };
}

function t2(fixed: boolean) {
  return async (g: Globals): Promise<void> => {
    for (let i = 0; i < N; i++) {
      await g.m.lock();
      if (fixed) while (!g.receive) await g.turn.wait(g.m);
      if (g.receive) {
        const got = removeLogElement(g);
        if (got !== i) throw new Error(`Bug found! received ${got} in iteration ${i}`); /* BAD */
        g.receive = false;
        g.send = true;
        if (fixed) g.turn.broadcast();
      }
      g.m.unlock();
    }
  };
}

function circularBuffer(fixed: boolean) {
  return program(`circular_buffer (${fixed ? 'fixed' : 'buggy'})`, {
    // main: initLog(10); send = TRUE; receive = FALSE;
    globals: () => ({
      m: new Mutex(),
      turn: new CondVar(),
      buffer: new Array<number>(BUFFER_MAX).fill(0),
      first: 0,
      next: 0,
      bufferSize: BUFFER_MAX,
      send: true,
      receive: false,
    }),
    threads: { t1: t1(fixed), t2: t2(fixed) },
    main: async (_g, pthread) => {
      await pthread.create('t1');
      await pthread.create('t2');
    },
  });
}

export const circularBufferBuggy = circularBuffer(false);
export const circularBufferFixed = circularBuffer(true);
