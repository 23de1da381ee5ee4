import type { ScenarioKey, Shard, ShardSummary } from '../core/shard.js';
import { scenariosOfShard } from '../core/shard.js';
import { displayPath } from '../core/user-frame.js';
import { findScenarioFiles } from '../loading/find-scenario-files.js';
import { loadScenarios } from '../loading/load-scenarios.js';
import { selectScenarios } from './run.js';

/** The scenarios one shard of a run explores. */
export interface ShardSelection {
  /** Whether this shard explores the scenario `name` of `file` (as displayed, relative to the working directory). */
  includes(file: string, name: string): boolean;
  readonly summary: ShardSummary;
}

/**
 * Loads every scenario file of the run (imports are cached, so the run that follows loads each
 * once) to learn every scenario's name, and picks this shard's with `scenariosOfShard`. A file
 * that cannot be loaded is skipped here: which scenarios it holds is unknown, so no shard can
 * leave it to another, and the run reports its error in every shard.
 */
export async function selectShard(paths: readonly string[], cwd: string, filter: string | undefined, shard: Shard): Promise<ShardSelection> {
  const all: ScenarioKey[] = [];
  for (const resolution of findScenarioFiles(paths, cwd)) {
    if ('problem' in resolution) continue;
    for (const file of resolution.files) {
      const shown = displayPath(file, cwd);
      try {
        for (const { scenario } of selectScenarios(await loadScenarios(file, shown, cwd), filter)) all.push({ file: shown, name: scenario.name });
      } catch {
        continue;
      }
    }
  }
  const keyOf = (file: string, name: string): string => JSON.stringify([file, name]);
  const mine = new Set(scenariosOfShard(all, shard).map((s) => keyOf(s.file, s.name)));
  return {
    includes: (file, name) => mine.has(keyOf(file, name)),
    summary: { index: shard.index, count: shard.count, scenarios: mine.size, total: new Set(all.map((s) => keyOf(s.file, s.name))).size },
  };
}
