/**
 * A one-shot event: `wait()` blocks until `open()` has been called (then returns at once).
 * Waiting on a latch that is not open is a wait on a promise nobody has settled yet, which
 * race-hunt treats as blocked: switching away from a blocked task is not a preemption.
 */
export class Latch {
  #open = false;
  readonly #waiters: (() => void)[] = [];

  get isOpen(): boolean {
    return this.#open;
  }

  open(): void {
    if (this.#open) return;
    this.#open = true;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  wait(): Promise<void> {
    if (this.#open) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}
