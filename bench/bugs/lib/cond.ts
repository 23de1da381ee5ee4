import type { Mutex } from './mutex.js';

/**
 * pthread_cond_t: `await cv.wait(m)` releases `m`, blocks until signalled, then locks `m`
 * again (callers re-check their condition in a loop, as with pthreads).
 */
export class CondVar {
  readonly #waiters: (() => void)[] = [];

  async wait(m: Mutex): Promise<void> {
    const signalled = new Promise<void>((resolve) => this.#waiters.push(resolve));
    m.unlock();
    await signalled;
    await m.lock();
  }

  signal(): void {
    this.#waiters.shift()?.();
  }

  broadcast(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
