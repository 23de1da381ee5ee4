import type { ScenarioKey, Shard, ShardSummary } from '../core/shard.js';
import { scenariosOfShard } from '../core/shard.js';

/** The scenarios one shard of a run explores. */
export interface ShardSelection {
  /** Whether this shard explores the scenario `name` of `file` (as displayed, relative to the working directory). */
  includes(file: string, name: string): boolean;
  readonly summary: ShardSummary;
}

/**
 * Picks this shard's scenarios, with `scenariosOfShard`, among every scenario of the run. A
 * file that could not be loaded is not among them: which scenarios it holds is unknown, so no
 * shard can leave it to another, and the run reports its error in every shard. When the run
 * has one scenario and its strategy `splitsRuns`, every shard explores it and the shards split
 * its runs instead; a systematic search is not split, so one shard has it, as with any scenario.
 */
export function selectShard(all: readonly ScenarioKey[], shard: Shard, splitsRuns: boolean): ShardSelection {
  const keyOf = (file: string, name: string): string => JSON.stringify([file, name]);
  const distinct = new Set(all.map((s) => keyOf(s.file, s.name)));
  if (distinct.size === 1 && shard.count > 1 && splitsRuns) {
    return { includes: () => true, summary: { index: shard.index, count: shard.count, scenarios: 1, total: 1, runsSplit: true } };
  }
  const mine = new Set(scenariosOfShard(all, shard).map((s) => keyOf(s.file, s.name)));
  return {
    includes: (file, name) => mine.has(keyOf(file, name)),
    summary: { index: shard.index, count: shard.count, scenarios: mine.size, total: distinct.size },
  };
}
