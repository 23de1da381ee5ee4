import type { Command } from 'commander';
import type { RunSettings } from '../config/run-settings.js';
import { SETTING_KEYS } from '../config/run-settings.js';

/**
 * The settings a command's flags carry, split by where commander got each value: `given`
 * (typed on the command line, so it wins over the config) and `defaults` (the flag's default,
 * which the config overrides). Flags the command does not define are in neither.
 */
export function settingsOf(command: Command): { given: Partial<RunSettings>; defaults: Partial<RunSettings> } {
  const values = command.opts<Record<string, unknown>>();
  const given: Record<string, unknown> = {};
  const defaults: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const source = command.getOptionValueSource(key);
    if (source === undefined || values[key] === undefined) continue;
    (source === 'default' ? defaults : given)[key] = values[key];
  }
  return { given: given as Partial<RunSettings>, defaults: defaults as Partial<RunSettings> };
}
