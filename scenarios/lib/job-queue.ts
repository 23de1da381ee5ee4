/** Ships gauges to the metrics daemon; every call is a network write. */
export class Metrics {
  readonly sent: string[] = [];

  async gauge(name: string, value: number): Promise<void> {
    await Promise.resolve(); // the write to the daemon
    this.sent.push(`${name}=${value}`);
  }
}

/** An in-process job queue: producers `push`, workers `take` (waiting while it is empty). */
export class JobQueue<T> {
  readonly #jobs: T[] = [];
  /** Workers waiting for a job; `push` wakes them all. */
  #waiters: (() => void)[] = [];
  readonly #metrics: Metrics;

  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  push(job: T): void {
    this.#jobs.push(job);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Buggy: sees the queue empty, reports itself idle (an await), and only then registers for
   * a wake-up. A job pushed during that await wakes nobody, and the worker sleeps forever.
   */
  async take(): Promise<T> {
    for (;;) {
      const job = this.#jobs.shift();
      if (job !== undefined) return job;
      await this.#metrics.gauge('worker.idle', 1);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /**
   * Fixed: registers for the wake-up in the same synchronous step as the empty check, before
   * anything awaits, so a push at any later moment finds the worker registered.
   */
  async takeWithoutLostWakeup(): Promise<T> {
    for (;;) {
      const job = this.#jobs.shift();
      if (job !== undefined) return job;
      const woken = new Promise<void>((resolve) => this.#waiters.push(resolve));
      await this.#metrics.gauge('worker.idle', 1);
      await woken;
    }
  }
}
