import type { ExplorationResult } from './explore.js';
import { CALIBRATION_RUNS } from './explore.js';

/** What one worker's share of an exploration reports, as a merge needs it. */
export interface Share {
  /** The worker's number among those sharing this exploration here (in this shard, when shards split its runs): worker 0 runs the serial runs. */
  readonly worker: number;
  readonly result: ExplorationResult;
  /** Runs executed, and how many of them were calibration runs (every worker runs those). */
  readonly executed: number;
  readonly calibrationExecuted: number;
  /** Interleaving hash → index of the first run of this share that produced it. */
  readonly interleavingsAt: ReadonlyMap<number, number>;
  /** Await pairs by location text, with the index of the share's first run that saw each. */
  readonly awaitPairsAt: ReadonlyArray<readonly [string, string, number]>;
}

/**
 * Several workers' shares of one exploration as one result, the same whatever the number of
 * workers: the finding with the lowest run index wins, and coverage counts only runs before
 * it (a worker may have run past it before it heard).
 */
export function mergeShares(shares: readonly Share[], complete: boolean): ExplorationResult {
  let finding: ExplorationResult['finding'];
  for (const share of shares) {
    const f = share.result.finding;
    if (f !== undefined && (finding === undefined || f.run < finding.run)) finding = f;
  }
  // Runs with an index below the cutoff count.
  const cutoff = finding === undefined ? Number.POSITIVE_INFINITY : finding.run;
  const interleavings = new Map<number, number>();
  for (const share of shares) {
    for (const [hash, index] of share.interleavingsAt) {
      if (index >= cutoff) continue;
      const seen = interleavings.get(hash);
      if (seen === undefined || index < seen) interleavings.set(hash, index);
    }
  }
  const pairs = new Map<string, number>();
  for (const share of shares) {
    for (const [from, to, index] of share.awaitPairsAt) {
      if (index >= cutoff) continue;
      const key = `${from}\u0000${to}`;
      const seen = pairs.get(key);
      if (seen === undefined || index < seen) pairs.set(key, index);
    }
  }
  let lastNewAt = 0;
  for (const index of interleavings.values()) lastNewAt = Math.max(lastNewAt, index + 1);
  for (const index of pairs.values()) lastNewAt = Math.max(lastNewAt, index + 1);
  const calibration = Math.min(CALIBRATION_RUNS, Math.max(0, ...shares.map((s) => s.calibrationExecuted)));
  const distinct = calibration + shares.reduce((sum, s) => sum + s.executed - s.calibrationExecuted, 0);
  // Every run before the finding ran, unless the exploration was stopped early.
  const runs = finding !== undefined && complete ? finding.run : distinct;
  const first = shares.find((s) => s.worker === 0) ?? shares[0];
  return {
    runs,
    interleavings: interleavings.size,
    awaitPairs: pairs.size,
    lastNewAt,
    exhausted: first?.result.exhausted ?? false,
    ...(finding === undefined ? {} : { finding }),
  };
}
