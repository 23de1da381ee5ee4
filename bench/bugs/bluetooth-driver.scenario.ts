/**
 * bluetooth_driver — SCTBench `concurrent-software-benchmarks/bluetooth_driver_bad.c`
 * (from the ESBMC benchmarks; the Windows NT Bluetooth driver model of Qadeer and Wu's KISS).
 * https://github.com/mc-imperial/sctbench
 *
 * main creates a stopper thread (BCSP_PnpStop) and then itself adds work (BCSP_PnpAdd).
 * The adder checks `stoppingFlag`, and only later increments `pendingIo`: the stopper can
 * set the flag, drop the last reference and stop the device in between, and the adder then
 * works on a stopped device (assert(!stopped)). pendingIo updates are atomic blocks.
 *
 * Fixed: the adder checks stoppingFlag and increments pendingIo in one atomic block.
 */
import { program } from './lib/threads.js';
import { yieldPoint } from './lib/yield-point.js';

interface Device {
  pendingIo: number;
  stoppingFlag: boolean;
  stoppingEvent: boolean;
  stopped: boolean;
}

async function ioIncrement(e: Device): Promise<number> {
  await yieldPoint();
  if (e.stoppingFlag) return -1;
  await yieldPoint();
  e.pendingIo = e.pendingIo + 1; // atomic
  return 0;
}

async function ioIncrementFixed(e: Device): Promise<number> {
  await yieldPoint();
  if (e.stoppingFlag) return -1; // one atomic block with the increment
  e.pendingIo = e.pendingIo + 1;
  return 0;
}

async function ioDecrement(e: Device): Promise<void> {
  await yieldPoint();
  e.pendingIo = e.pendingIo - 1; // atomic
  const pendingIo = e.pendingIo;
  if (pendingIo === 0) {
    await yieldPoint();
    e.stoppingEvent = true;
  }
}

function pnpAdd(increment: (e: Device) => Promise<number>) {
  return async (e: Device): Promise<void> => {
    const status = await increment(e);
    if (status === 0) {
      // do work here
      await yieldPoint();
      if (e.stopped) throw new Error('Bug found! work on a stopped device'); /* BAD */
    }
    await ioDecrement(e);
  };
}

async function pnpStop(e: Device): Promise<void> {
  e.stoppingFlag = true;
  await ioDecrement(e);
  await yieldPoint();
  if (e.stoppingEvent) {
    // release allocated resource
    await yieldPoint();
    e.stopped = true;
  }
}

function bluetooth(fixed: boolean) {
  const add = pnpAdd(fixed ? ioIncrementFixed : ioIncrement);
  return program(`bluetooth_driver (${fixed ? 'fixed' : 'buggy'})`, {
    globals: () => ({ pendingIo: 1, stoppingFlag: false, stoppingEvent: false, stopped: false }),
    threads: { stopper: pnpStop },
    main: async (e, pthread) => {
      await pthread.create('stopper');
      await add(e);
    },
  });
}

export const bluetoothBuggy = bluetooth(false);
export const bluetoothFixed = bluetooth(true);
