/** A bank account whose balance lives behind an async store (think: a database row). */
export class Account {
  #balance = 0;

  get balance(): number {
    return this.#balance;
  }

  private async load(): Promise<number> {
    await Promise.resolve(); // the round trip to the store
    return this.#balance;
  }

  private async save(value: number): Promise<void> {
    await Promise.resolve();
    this.#balance = value;
  }

  /** Buggy: reads, awaits, then writes back — another credit in between is lost. */
  async credit(amount: number): Promise<void> {
    const current = await this.load();
    await this.save(current + amount);
  }
}
