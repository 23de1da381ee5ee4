import { RaceHuntError } from '../core/errors.js';
import type { Scenario } from '../core/scenario.js';
import { displayPath } from '../core/display-path.js';
import { findScenarioFiles } from '../loading/find-scenario-files.js';
import { loadScenarios } from '../loading/load-scenarios.js';
import { selectScenarios } from './run.js';

/** The one scenario file a replay or shrink names: absolute, and as shown. Throws {@link RaceHuntError}. */
export function oneScenarioFile(file: string, cwd: string): { readonly absolute: string; readonly shown: string } {
  const [resolution] = findScenarioFiles([file], cwd);
  if (resolution === undefined || 'problem' in resolution || resolution.files.length !== 1) {
    const problem = resolution !== undefined && 'problem' in resolution ? resolution.problem : `${file} is not one scenario file. Name the file the report names.`;
    throw new RaceHuntError('FILE_NOT_FOUND', problem);
  }
  const absolute = resolution.files[0]!;
  return { absolute, shown: displayPath(absolute, cwd) };
}

/** The one scenario among `names` that `name` means (exact, or a unique substring). Throws {@link RaceHuntError}. */
export function oneScenarioName(names: readonly string[], name: string, shown: string): string {
  const exact = names.filter((n) => n === name);
  const selected = exact.length > 0 ? exact : names.filter((n) => n.includes(name));
  if (selected.length !== 1) {
    const listed = names.map((n) => `"${n}"`).join(', ');
    const why = selected.length === 0 ? `has no scenario named "${name}"` : `has ${selected.length} scenarios matching "${name}"`;
    throw new RaceHuntError('SCENARIO_NOT_FOUND', `${shown} ${why}; it has ${listed}. Pass the exact name with --scenario.`);
  }
  return selected[0]!;
}

/**
 * Loads exactly one scenario for replay or shrinking: the file must exist and hold one
 * scenario matching `name` (exact, or a unique substring). Throws {@link RaceHuntError}.
 * Assumes the loader is registered.
 */
export async function loadOneScenario(file: string, name: string, cwd: string): Promise<{ readonly shown: string; readonly scenario: Scenario }> {
  const { absolute, shown } = oneScenarioFile(file, cwd);
  const loaded = await loadScenarios(absolute, shown, cwd);
  const chosen = oneScenarioName(
    loaded.map((l) => l.scenario.name),
    name,
    shown,
  );
  return { shown, scenario: selectScenarios(loaded, chosen)[0]!.scenario };
}
