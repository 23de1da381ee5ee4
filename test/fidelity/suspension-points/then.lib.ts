// The code under test: a store whose increment reads, then writes in a `.then` callback.
export class Store {
  v = 0;

  load(): Promise<number> {
    return Promise.resolve(this.v);
  }

  save(v: number): Promise<void> {
    this.v = v;
    return Promise.resolve();
  }

  inc(): Promise<void> {
    return this.load().then((v) => this.save(v + 1));
  }
}
