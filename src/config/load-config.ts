import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { RaceHuntError } from '../core/errors.js';
import { displayPath } from '../core/display-path.js';
import { describeLoadError } from '../loading/describe-load-error.js';
import type { CheckedConfig } from './check-config.js';
import { checkConfig } from './check-config.js';

/** The names a config file is found by in the working directory, in this order. */
export const CONFIG_FILE_NAMES = ['race-hunt.config.ts', 'race-hunt.config.mts', 'race-hunt.config.js', 'race-hunt.config.mjs'] as const;

/** The config a run uses: the one `--config` names, else the first of {@link CONFIG_FILE_NAMES} in `cwd`, else none. */
export function findConfigFile(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new RaceHuntError('FILE_NOT_FOUND', `--config ${explicit}: no such file (looked for ${file}). Check the path, or leave --config out to use race-hunt.config.ts in the working directory.`);
    }
    return file;
  }
  return CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((file) => existsSync(file));
}

/**
 * Finds and loads the config file, if there is one, and checks it. It is imported through
 * tsx's scoped `tsImport` (TypeScript works, and nothing else is transpiled by it) and before
 * race-hunt's instrumenting loader is registered, so the config and what it imports run as
 * plain code. Throws `CONFIG_INVALID` for a config that does not load or check.
 */
export async function loadConfig(cwd: string, explicit: string | undefined): Promise<CheckedConfig | undefined> {
  const file = findConfigFile(cwd, explicit);
  if (file === undefined) return undefined;
  const shown = displayPath(file, cwd);
  let namespace: Record<string, unknown>;
  try {
    namespace = (await tsImport(pathToFileURL(file).href, { parentURL: import.meta.url })) as Record<string, unknown>;
  } catch (error) {
    throw new RaceHuntError('CONFIG_INVALID', `could not load the config ${shown}: ${describeLoadError(error, cwd, file)}`);
  }
  return checkConfig(defaultExport(namespace), { shown, dir: dirname(file), cwd });
}

/**
 * The config object: the module's default export. A config compiled to CommonJS (a `.ts` file in
 * a package without `"type": "module"`) arrives as `module.exports`, its `export default` one
 * level down.
 */
function defaultExport(namespace: Record<string, unknown>): unknown {
  const value = namespace['default'];
  if (typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true && 'default' in value) {
    return (value as { default: unknown }).default;
  }
  return value;
}
