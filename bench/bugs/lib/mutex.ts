import { yieldPoint } from './yield-point.js';

/**
 * pthread_mutex_t as a user-level async mutex (instrumented like any user code).
 *
 * `await m.lock()` is a scheduling point before the lock operation (as in SCT tools); if
 * the mutex is held the caller blocks (waits on a promise nobody has resolved yet, which
 * race-hunt treats as blocked, so switching away from it is free) until an unlock wakes it,
 * then it competes again: like pthreads, a woken waiter may lose to a thread that locks in
 * the meantime (no hand-off). `unlock()` is synchronous and wakes one waiter.
 */
export class Mutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  get locked(): boolean {
    return this.#locked;
  }

  async lock(): Promise<void> {
    await yieldPoint();
    while (this.#locked) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#locked = true;
  }

  unlock(): void {
    if (!this.#locked) throw new Error('unlock of a mutex that is not locked');
    this.#locked = false;
    this.#waiters.shift()?.();
  }
}
