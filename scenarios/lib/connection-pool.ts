/** A connection to the database server. */
export interface Connection {
  query(sql: string): Promise<string[]>;
  close(): void;
}

/** The database server: it allows at most `maxConnections` open connections at a time. */
export class DatabaseServer {
  open = 0;

  constructor(readonly maxConnections: number) {}

  async connect(): Promise<Connection> {
    await Promise.resolve(); // TCP and auth handshake
    this.open++;
    let closed = false;
    return {
      query: async (sql) => {
        await Promise.resolve(); // the query's round trip
        return [`rows for ${sql}`];
      },
      close: () => {
        if (!closed) this.open--;
        closed = true;
      },
    };
  }
}

/** Opens at most `size` connections at once; callers beyond that wait for a free slot. */
export class ConnectionPool {
  #inUse = 0;
  readonly #waiters: (() => void)[] = [];

  constructor(
    private readonly server: DatabaseServer,
    readonly size: number,
  ) {}

  /**
   * Buggy: waits for a free slot, but counts the slot only once the connection is open. Callers
   * that pass the check while others are still connecting all connect, beyond the pool's size.
   */
  async query(sql: string): Promise<string[]> {
    while (this.#inUse >= this.size) await this.slotFreed();
    const connection = await this.server.connect();
    this.#inUse++;
    try {
      return await connection.query(sql);
    } finally {
      connection.close();
      this.release();
    }
  }

  /** Fixed: claims the slot in the same step as the check, before it awaits the connection. */
  async queryWithinLimit(sql: string): Promise<string[]> {
    while (this.#inUse >= this.size) await this.slotFreed();
    this.#inUse++;
    let connection: Connection;
    try {
      connection = await this.server.connect();
    } catch (error) {
      this.release();
      throw error;
    }
    try {
      return await connection.query(sql);
    } finally {
      connection.close();
      this.release();
    }
  }

  private slotFreed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  private release(): void {
    this.#inUse--;
    this.#waiters.shift()?.();
  }
}
