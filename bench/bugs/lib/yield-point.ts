/**
 * A scheduling point: `await yieldPoint()` lets race-hunt run another task here, the way a
 * systematic concurrency tester (CHESS, the SCTBench harness) may preempt a thread before
 * any visible operation — a racy shared-memory access or a synchronisation call.
 *
 * Deliberately not `async`: the caller's own `await` is the one instrumented await, so each
 * point costs exactly one scheduling decision and the trace shows the caller's line.
 */
export function yieldPoint(): Promise<void> {
  return Promise.resolve();
}
