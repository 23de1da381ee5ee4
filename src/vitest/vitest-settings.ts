/**
 * What the plugin (in vitest's main process, where the config loads) tells the setup file (in
 * each test worker): passed through the workers' environment, which vitest's `test.env` sets.
 */
export interface VitestSettings {
  readonly include: readonly string[];
  readonly track: boolean;
  readonly mode: 'regression' | 'explore';
}

export const SETTINGS_VARIABLE = 'RACE_HUNT_VITEST';

/** The plugin's settings in this worker, or `undefined` when the plugin is not in the config. */
export function vitestSettings(env: NodeJS.ProcessEnv = process.env): VitestSettings | undefined {
  const text = env[SETTINGS_VARIABLE];
  if (text === undefined || text === '') return undefined;
  return JSON.parse(text) as VitestSettings;
}
