import type { ExecutionResult } from './execution-result.js';
import type { RunPlan, Strategy } from '../strategies/strategy.js';

export interface ExploreLimits {
  /** Executions at most. */
  readonly runs: number;
}

/** Coverage so far: distinct interleavings and await pairs, and whether novelty dried up. */
export interface CoverageSummary {
  /** Distinct interleavings seen (by the hash of their task/await sequence). */
  readonly interleavings: number;
  /** Distinct ordered pairs of await locations (which await resumed right after which). */
  readonly awaitPairs: number;
  /** The execution (1-based) that last added a new interleaving or await pair. */
  readonly lastNewAt: number;
}

/** What an exploration found. `finding` is the first execution that did not pass. */
export interface ExplorationResult extends CoverageSummary {
  readonly runs: number;
  /** The strategy covered its whole space before the run budget ran out. */
  readonly exhausted: boolean;
  readonly finding?: {
    /** The execution (1-based) that found it: runs to first violation. */
    readonly run: number;
    /** The strategy (or portfolio member) whose plan found it. */
    readonly strategy: string;
    readonly result: Exclude<ExecutionResult, { status: 'pass' }>;
  };
}

/**
 * Exploration looks saturated when a long stretch brought nothing new: at least 500 runs,
 * and no new interleaving or await pair in the latter half of them.
 */
export function isSaturated(runs: number, coverage: CoverageSummary): boolean {
  return runs >= 500 && runs - coverage.lastNewAt >= runs / 2;
}

/** Runs executions under a strategy until one fails, the budget is spent, or the strategy is exhausted. */
export async function explore(
  strategy: Strategy,
  execute: (plan: RunPlan) => Promise<ExecutionResult>,
  limits: ExploreLimits,
  /** Hears every execution; `coverage()` makes the summary, for a caller that wants it now and then. */
  onRun?: (runs: number, coverage: () => CoverageSummary) => void,
): Promise<ExplorationResult> {
  const seen = new Set<number>();
  let awaitPairs = 0;
  let lastNewAt = 0;
  let runs = 0;
  const summary = (): CoverageSummary => ({ interleavings: seen.size, awaitPairs, lastNewAt });
  while (runs < limits.runs) {
    const plan = strategy.nextRun();
    if (plan === undefined) return { runs, ...summary(), exhausted: true };
    const result = await execute(plan);
    runs++;
    const before = seen.size;
    seen.add(result.interleaving);
    awaitPairs += result.newAwaitPairs;
    if (seen.size > before || result.newAwaitPairs > 0) lastNewAt = runs;
    onRun?.(runs, summary);
    if (result.status !== 'pass') {
      return { runs, ...summary(), exhausted: false, finding: { run: runs, strategy: plan.strategy, result } };
    }
  }
  return { runs, ...summary(), exhausted: false };
}
