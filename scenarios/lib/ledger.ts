import { Mutex } from 'async-mutex';

/** An account in the ledger, guarded by its own lock (async-mutex). */
export class LedgerAccount {
  readonly lock = new Mutex();
  balance: number;

  constructor(
    readonly id: string,
    balance: number,
  ) {
    this.balance = balance;
  }
}

/** Reads the balance from the ledger database. */
async function readBalance(account: LedgerAccount): Promise<number> {
  await Promise.resolve(); // the database round trip
  return account.balance;
}

function move(from: LedgerAccount, to: LedgerAccount, amount: number, available: number): void {
  if (available < amount) throw new Error(`insufficient funds in ${from.id}: ${available} < ${amount}`);
  from.balance -= amount;
  to.balance += amount;
}

/**
 * Buggy: locks the payer, checks its funds, then locks the payee. Two transfers in opposite
 * directions take the same two locks in opposite orders: each can end up holding one lock and
 * waiting forever for the other.
 */
export async function transfer(from: LedgerAccount, to: LedgerAccount, amount: number): Promise<void> {
  const releaseFrom = await from.lock.acquire();
  try {
    const available = await readBalance(from);
    const releaseTo = await to.lock.acquire();
    try {
      move(from, to, amount, available);
    } finally {
      releaseTo();
    }
  } finally {
    releaseFrom();
  }
}

/** Fixed: takes both locks in one global order (by account id), whichever way the money moves. */
export async function transferInLockOrder(from: LedgerAccount, to: LedgerAccount, amount: number): Promise<void> {
  const [first, second] = from.id < to.id ? [from, to] : [to, from];
  const releaseFirst = await first.lock.acquire();
  try {
    const releaseSecond = await second.lock.acquire();
    try {
      const available = await readBalance(from);
      move(from, to, amount, available);
    } finally {
      releaseSecond();
    }
  } finally {
    releaseFirst();
  }
}
