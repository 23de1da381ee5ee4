/**
 * account — SCTBench `concurrent-software-benchmarks/account_bad.c` (from the ESBMC
 * benchmarks). https://github.com/mc-imperial/sctbench
 *
 * main sets balance = x = 1, y = 2, z = 4 and creates check_result, deposit and withdraw
 * (in that order; it does not join them). deposit adds y, withdraw subtracts z, each under
 * the mutex; check_result, under the mutex, asserts balance == (x - y) - z once both are
 * done. The bug is in the assertion (the deposit is subtracted): it fails whenever
 * check_result runs after both others — although it was created first, so it needs the
 * other two to get ahead of it.
 *
 * Fixed: the assertion checks (x + y) - z.
 */
import { Mutex } from './lib/mutex.js';
import { program } from './lib/threads.js';

interface Globals {
  m: Mutex;
  x: number;
  y: number;
  z: number;
  balance: number;
  depositDone: boolean;
  withdrawDone: boolean;
}

async function deposit(g: Globals): Promise<void> {
  await g.m.lock();
  g.balance = g.balance + g.y;
  g.depositDone = true;
  g.m.unlock();
}

async function withdraw(g: Globals): Promise<void> {
  await g.m.lock();
  g.balance = g.balance - g.z;
  g.withdrawDone = true;
  g.m.unlock();
}

function checkResult(expected: (g: Globals) => number) {
  return async (g: Globals): Promise<void> => {
    await g.m.lock();
    if (g.depositDone && g.withdrawDone && g.balance !== expected(g)) {
      throw new Error(`Bug found! balance ${g.balance}, asserted ${expected(g)}`); /* BAD */
    }
    g.m.unlock();
  };
}

function account(fixed: boolean) {
  return program(`account (${fixed ? 'fixed' : 'buggy'})`, {
    globals: () => ({ m: new Mutex(), x: 1, y: 2, z: 4, balance: 1, depositDone: false, withdrawDone: false }),
    threads: {
      check_result: checkResult(fixed ? (g) => g.x + g.y - g.z : (g) => g.x - g.y - g.z),
      deposit,
      withdraw,
    },
    main: async (_g, pthread) => {
      await pthread.create('check_result');
      await pthread.create('deposit');
      await pthread.create('withdraw');
    },
  });
}

export const accountBuggy = account(false);
export const accountFixed = account(true);
