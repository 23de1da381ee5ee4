import { isAbsolute, relative, resolve } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { RaceHuntError } from '../core/errors.js';
import type { CheckedConfig } from './check-config.js';

/**
 * The paths a config's `include` stands for, relative to the working directory when they are
 * below it: a glob is expanded to the files it matches (sorted; never under node_modules), and a
 * plain path is kept as it is, so that a directory stands for its `*.scenario.*` modules as it
 * does on the command line. Throws `FILE_NOT_FOUND` when the globs match nothing at all.
 */
export function expandInclude(config: CheckedConfig & { readonly include: readonly string[] }, cwd: string): string[] {
  const shown = (absolute: string): string => {
    const fromCwd = relative(cwd, absolute);
    return fromCwd === '' ? '.' : fromCwd.startsWith('..') || isAbsolute(fromCwd) ? absolute : fromCwd;
  };
  const plain = config.include.filter((entry) => !isDynamicPattern(entry));
  const globs = config.include.filter((entry) => isDynamicPattern(entry));
  const matched =
    globs.length === 0
      ? []
      : globSync([...globs], { cwd: config.dir, absolute: true, onlyFiles: true, expandDirectories: false, ignore: ['**/node_modules/**'] }).sort();
  const paths = [...plain.map((entry) => shown(resolve(config.dir, entry))), ...matched.map(shown)];
  if (paths.length === 0) {
    const list = globs.map((g) => `'${g}'`).join(', ');
    throw new RaceHuntError(
      'FILE_NOT_FOUND',
      `${config.shown}: include (${list}) matched no file under ${config.dir}. Globs are relative to the config file's folder and name files, e.g. 'scenarios/**/*.scenario.ts'; fix include, or name the scenarios on the command line.`,
    );
  }
  return paths;
}
