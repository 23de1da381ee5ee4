import { pathToFileURL } from 'node:url';
import type { Scenario } from '../core/scenario.js';
import { isScenario } from '../core/scenario.js';
import { RaceHuntError } from '../core/errors.js';
import { describeLoadError } from './describe-load-error.js';

/** A scenario with the export it came from. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly exportName: string;
}

/**
 * Imports a scenario module (through the instrumenting loader) and collects the scenarios
 * it exports: the default export and named exports, in that order, each once.
 * Throws {@link RaceHuntError} with a paragraph a user can act on.
 */
export async function loadScenarios(file: string, displayPath: string, cwd: string): Promise<LoadedScenario[]> {
  let moduleNamespace: Record<string, unknown>;
  try {
    moduleNamespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new RaceHuntError('LOAD_FAILED', `could not load ${displayPath}: ${describeLoadError(error, cwd, file)}`);
  }
  const found: LoadedScenario[] = [];
  const seen = new Set<unknown>();
  for (const [exportName, value] of exportsOf(moduleNamespace)) {
    if (!isScenario(value) || seen.has(value)) continue;
    seen.add(value);
    found.push({ scenario: value, exportName });
  }
  if (found.length === 0) {
    throw new RaceHuntError(
      'NO_SCENARIO_EXPORTED',
      `${displayPath} exports no scenario. Export one made with scenario() from 'race-hunt', e.g. \`export default scenario('name', { tasks: { … } })\`.`,
    );
  }
  const names2 = new Map<string, string>();
  for (const { scenario, exportName } of found) {
    const other = names2.get(scenario.name);
    if (other !== undefined) {
      throw new RaceHuntError(
        'LOAD_FAILED',
        `${displayPath} exports two scenarios named "${scenario.name}" (exports ${other} and ${exportName}). Give each a distinct name so replay can find it.`,
      );
    }
    names2.set(scenario.name, exportName);
  }
  return found;
}

/**
 * A module's exports, default first. A CommonJS module (TypeScript compiled to CommonJS included)
 * arrives as a namespace whose `default` is its `module.exports`: what it exports sits one level down.
 */
function exportsOf(moduleNamespace: Record<string, unknown>): [string, unknown][] {
  const entries = defaultFirst(Object.entries(moduleNamespace));
  const moduleExports = moduleNamespace['default'];
  if (typeof moduleExports !== 'object' || moduleExports === null || isScenario(moduleExports)) return entries;
  return [...entries, ...defaultFirst(Object.entries(moduleExports))];
}

function defaultFirst(entries: [string, unknown][]): [string, unknown][] {
  return entries.sort(([a], [b]) => (a === 'default' ? -1 : b === 'default' ? 1 : 0));
}
