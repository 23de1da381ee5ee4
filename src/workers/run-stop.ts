/**
 * Stops every exploration in progress at its next run: on SIGINT/SIGTERM, or when the time
 * budget is spent. Each exploration's shared bound (runs from this index on are not needed)
 * is set to 0; its workers see it before their next run.
 */
export class RunStop {
  private readonly bounds = new Set<Int32Array>();
  private readonly listeners: Array<() => void> = [];
  interrupted = false;

  /** Calls `listener` once, on interrupt. */
  onInterrupt(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Watches `bound` until the returned function is called. */
  watch(bound: Int32Array): () => void {
    this.bounds.add(bound);
    if (this.interrupted) Atomics.store(bound, 0, 0);
    return () => this.bounds.delete(bound);
  }

  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    for (const bound of this.bounds) Atomics.store(bound, 0, 0);
    for (const listener of this.listeners) listener();
  }
}
