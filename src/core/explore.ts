import type { ExecutionResult } from './execution-result.js';
import type { RunPlan, Strategy } from '../strategies/strategy.js';

export interface ExploreLimits {
  /** Executions at most. */
  readonly runs: number;
}

/** What an exploration found. `finding` is the first execution that did not pass. */
export interface ExplorationResult {
  readonly runs: number;
  /** Distinct interleavings seen (by the hash of their task/await sequence). */
  readonly interleavings: number;
  /** The strategy covered its whole space before the run budget ran out. */
  readonly exhausted: boolean;
  readonly finding?: { readonly run: number; readonly result: Exclude<ExecutionResult, { status: 'pass' }> };
}

/** Runs executions under a strategy until one fails, the budget is spent, or the strategy is exhausted. */
export async function explore(
  strategy: Strategy,
  execute: (plan: RunPlan) => Promise<ExecutionResult>,
  limits: ExploreLimits,
  onRun?: (runs: number, interleavings: number) => void,
): Promise<ExplorationResult> {
  const seen = new Set<number>();
  let runs = 0;
  while (runs < limits.runs) {
    const plan = strategy.nextRun();
    if (plan === undefined) return { runs, interleavings: seen.size, exhausted: true };
    const result = await execute(plan);
    runs++;
    seen.add(result.interleaving);
    onRun?.(runs, seen.size);
    if (result.status !== 'pass') return { runs, interleavings: seen.size, exhausted: false, finding: { run: runs, result } };
  }
  return { runs, interleavings: seen.size, exhausted: false };
}
