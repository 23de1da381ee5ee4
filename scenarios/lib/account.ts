import { AsyncLock } from './async-lock.js';

/** A bank account whose balance lives behind an async store (think: a database row). */
export class Account {
  #balance = 0;
  readonly #lock = new AsyncLock();

  get balance(): number {
    return this.#balance;
  }

  private async load(): Promise<number> {
    await Promise.resolve(); // the round trip to the store
    return this.#balance;
  }

  private async save(value: number): Promise<void> {
    await Promise.resolve(); // the write's round trip
    this.#balance = value;
  }

  /** Buggy: reads, awaits, then writes back — another credit in between is lost. */
  async credit(amount: number): Promise<void> {
    const current = await this.load();
    await this.save(current + amount);
  }

  /** Fixed: the same read-modify-write, but under a per-account lock, so credits run one at a time. */
  async creditExclusively(amount: number): Promise<void> {
    await this.#lock.run(async () => {
      const current = await this.load();
      await this.save(current + amount);
    });
  }
}
