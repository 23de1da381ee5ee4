// The code under test: a store over a minimal promise library in the style of Q and when.js,
// whose callbacks run later, from a queue of its own drained in one process.nextTick, and which
// adopts what a callback returns. (Such promises are not native: race-hunt gates their `then`
// callbacks all the same.)
const queue: (() => void)[] = [];

function later(job: () => void): void {
  if (queue.push(job) === 1) {
    process.nextTick(() => {
      while (queue.length > 0) queue.shift()!();
    });
  }
}

function isThenable(value: unknown): value is { then(f: (v: unknown) => void): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export class TickPromise<T> {
  private settled = false;
  private value: unknown;
  private waiting: (() => void)[] = [];

  static resolve<T>(value: T): TickPromise<T> {
    const promise = new TickPromise<T>();
    promise.settle(value);
    return promise;
  }

  then<R>(onFulfilled: (value: T) => R): TickPromise<Awaited<R>> {
    const next = new TickPromise<Awaited<R>>();
    const run = (): void => next.settle(onFulfilled(this.value as T));
    if (this.settled) later(run);
    else this.waiting.push(run);
    return next;
  }

  private settle(value: unknown): void {
    if (isThenable(value)) {
      value.then((v) => this.settle(v));
      return;
    }
    this.settled = true;
    this.value = value;
    for (const job of this.waiting) later(job);
    this.waiting = [];
  }
}

export class Store {
  v = 0;

  load(): TickPromise<number> {
    return TickPromise.resolve(this.v);
  }

  save(v: number): TickPromise<void> {
    this.v = v;
    return TickPromise.resolve(undefined);
  }

  inc(): TickPromise<void> {
    return this.load().then((v) => this.save(v + 1));
  }
}

/** A thenable that calls back at once, during `then`, and returns the callback's result. */
export const syncThenable = {
  then<R>(onFulfilled: (value: number) => R): R {
    return onFulfilled(42);
  },
};
