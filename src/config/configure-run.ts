import { RaceHuntError } from '../core/errors.js';
import { loadConfig } from './load-config.js';
import type { RunSettings } from './run-settings.js';
import { mergeSettings } from './run-settings.js';

/** What `race-hunt run` explores, and with which options, once the config is read. */
export interface ConfiguredRun {
  /** The paths given on the command line, or else those the config's `include` stands for. */
  readonly paths: readonly string[];
  readonly settings: Partial<RunSettings>;
  /** The config file used, as shown to the user; undefined when there is none. */
  readonly configFile?: string;
}

/**
 * Reads the config (the one `--config` names, or `race-hunt.config.*` in `cwd`) and merges it
 * with the command line: a flag given wins, then the config, then the default. Paths given on
 * the command line win over `include` as a whole. Throws for a bad config, or when there is
 * nothing to explore.
 */
export async function configureRun(
  paths: readonly string[],
  commandLine: Partial<RunSettings>,
  defaults: Partial<RunSettings>,
  cwd: string,
  configOption: string | undefined,
): Promise<ConfiguredRun> {
  const config = await loadConfig(cwd, configOption);
  const settings = mergeSettings(commandLine, config?.settings ?? {}, defaults);
  const shown = config === undefined ? {} : { configFile: config.shown };
  if (paths.length > 0) return { paths, settings, ...shown };
  if (config?.include === undefined) {
    const where = config === undefined ? 'in include of a race-hunt.config.ts' : `in include of ${config.shown}`;
    throw new RaceHuntError('BAD_OPTION', `name at least one scenario file or directory, e.g. \`race-hunt run scenarios\`, or list them ${where} (include: ['scenarios/**/*.scenario.ts']).`);
  }
  // The glob library loads only when globs are to be expanded.
  const { expandInclude } = await import('./include.js');
  return { paths: expandInclude({ ...config, include: config.include }, cwd), settings, ...shown };
}
