import { isPreemption } from '../core/entity.js';
import type { BoundedStrategy, SearchPart } from './bounded-search.js';
import { boundedSearch } from './bounded-search.js';

/**
 * Bounded exhaustive search with iterative preemption bounding (Musuvathi & Qadeer, PLDI
 * 2007; as in CHESS and loom): every schedule with 0 preemptions, then ≤ 1, … ≤ `maxPreemptions`.
 * A preemption is switching away from a task that could have continued; switches at points
 * where the running task blocks or finishes are free. Most bugs need only 1–2 (Thomson,
 * Donaldson, Betts, TOPC 2016).
 */
export function dfsStrategy(seed: number, maxPreemptions: number, part?: SearchPart): BoundedStrategy {
  return boundedSearch(
    `dfs(preemptions≤${maxPreemptions})`,
    'preemptions',
    seed,
    maxPreemptions,
    (options, index, previous) => (isPreemption(options, index, previous) ? 1 : 0),
    part,
  );
}
