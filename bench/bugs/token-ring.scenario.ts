/**
 * token_ring — SCTBench `concurrent-software-benchmarks/token_ring_bad.c` (from the ESBMC
 * benchmarks). https://github.com/mc-imperial/sctbench
 *
 * x1 = 1, x2 = 2, x3 = 1. Each thread runs one atomic block: t1 x1 = (x3 + 1) % 4, t2
 * x2 = x1, t3 x3 = x2, each then raising its flag; t4 asserts x1 == x2 == x3 once all
 * three flags are up. Only the order t1, t2, t3 passes the token round the ring; the bug is
 * any other order, with t4 last. main creates t1..t4 in order and does not join them.
 *
 * Fixed: the token is passed — t2 waits until t1 has raised flag1, t3 until t2 has raised
 * flag2.
 */
import { Latch } from './lib/latch.js';
import { program } from './lib/threads.js';

interface Globals {
  x1: number;
  x2: number;
  x3: number;
  flag1: boolean;
  flag2: boolean;
  flag3: boolean;
  raised1: Latch;
  raised2: Latch;
}

async function t1(g: Globals): Promise<void> {
  g.x1 = (g.x3 + 1) % 4; // __ESBMC_atomic_begin() … __ESBMC_atomic_end()
  g.flag1 = true;
  g.raised1.open();
}

async function t2(g: Globals): Promise<void> {
  g.x2 = g.x1;
  g.flag2 = true;
  g.raised2.open();
}

async function t3(g: Globals): Promise<void> {
  g.x3 = g.x2;
  g.flag3 = true;
}

async function t4(g: Globals): Promise<void> {
  if (g.flag1 && g.flag2 && g.flag3 && !(g.x1 === g.x2 && g.x2 === g.x3)) {
    throw new Error(`Bug found! x1 ${g.x1}, x2 ${g.x2}, x3 ${g.x3}`); /* BAD */
  }
}

function tokenRing(fixed: boolean) {
  return program(`token_ring (${fixed ? 'fixed' : 'buggy'})`, {
    globals: () => ({ x1: 1, x2: 2, x3: 1, flag1: false, flag2: false, flag3: false, raised1: new Latch(), raised2: new Latch() }),
    threads: {
      t1,
      t2: fixed
        ? async (g) => {
            await g.raised1.wait();
            await t2(g);
          }
        : t2,
      t3: fixed
        ? async (g) => {
            await g.raised2.wait();
            await t3(g);
          }
        : t3,
      t4,
    },
    main: async (_g, pthread) => {
      await pthread.create('t1');
      await pthread.create('t2');
      await pthread.create('t3');
      await pthread.create('t4');
    },
  });
}

export const tokenRingBuggy = tokenRing(false);
export const tokenRingFixed = tokenRing(true);
