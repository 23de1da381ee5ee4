// The code under test: a ledger entry read over a connection held with `await using`, and
// written once the connection has been handed back (its disposal is awaited).
export class Connection {
  constructor(private readonly ledger: Ledger) {}

  get total(): number {
    return this.ledger.total;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.ledger.open--;
  }
}

export class Ledger {
  total = 0;
  open = 0;

  connect(): Connection {
    this.open++;
    return new Connection(this);
  }
}

export async function addEntry(ledger: Ledger, amount: number): Promise<void> {
  let total: number;
  {
    await using connection = ledger.connect();
    total = connection.total;
  }
  ledger.total = total + amount;
}
