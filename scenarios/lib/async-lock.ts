/**
 * A minimal async mutex written in plain user code: callers of `run` execute their critical
 * sections one at a time, in the order they called.
 */
export class AsyncLock {
  /** Settles when the most recent caller's critical section has finished. */
  #tail: Promise<void> = Promise.resolve();

  async run<T>(critical: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release: () => void = () => {};
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous; // wait for every earlier caller
    try {
      return await critical();
    } finally {
      release();
    }
  }
}
