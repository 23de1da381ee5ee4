import { RaceHuntError } from '../core/errors.js';
import type { Scenario } from '../core/scenario.js';
import { displayPath } from '../core/user-frame.js';
import { findScenarioFiles } from '../loading/find-scenario-files.js';
import { loadScenarios } from '../loading/load-scenarios.js';
import { selectScenarios } from './run.js';

/**
 * Loads exactly one scenario for replay or shrinking: the file must exist and hold one
 * scenario matching `name` (exact, or a unique substring). Throws {@link RaceHuntError}.
 * Assumes the loader is registered.
 */
export async function loadOneScenario(file: string, name: string, cwd: string): Promise<{ readonly shown: string; readonly scenario: Scenario }> {
  const [resolution] = findScenarioFiles([file], cwd);
  if (resolution === undefined || 'problem' in resolution || resolution.files.length !== 1) {
    const problem = resolution !== undefined && 'problem' in resolution ? resolution.problem : `${file} is not one scenario file. Name the file the report names.`;
    throw new RaceHuntError('FILE_NOT_FOUND', problem);
  }
  const absolute = resolution.files[0]!;
  const shown = displayPath(absolute, cwd);
  const loaded = await loadScenarios(absolute, shown, cwd);
  const selected = selectScenarios(loaded, name);
  if (selected.length !== 1) {
    const names = loaded.map((l) => `"${l.scenario.name}"`).join(', ');
    const why = selected.length === 0 ? `has no scenario named "${name}"` : `has ${selected.length} scenarios matching "${name}"`;
    throw new RaceHuntError('SCENARIO_NOT_FOUND', `${shown} ${why}; it has ${names}. Pass the exact name with --scenario.`);
  }
  return { shown, scenario: selected[0]!.scenario };
}
