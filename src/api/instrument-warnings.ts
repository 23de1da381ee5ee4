import type { LoadedPackage } from '../instrument/loaded-modules.js';
import { loadedModules } from '../instrument/loaded-modules.js';
import { patternMatchesPackage } from '../instrument/package-of.js';

/** Up to this many loaded packages are named in a warning; more are summed up. */
const LISTED = 8;

/**
 * A warning for each `--instrument` pattern that matched no package loaded while race-hunt's
 * hooks were in place (by `package.json` name or installed folder): a typo, or a package the
 * scenarios never load, would otherwise leave its awaits native without a word.
 */
export function unmatchedInstrumentPatterns(patterns: readonly string[], loaded: readonly LoadedPackage[] = loadedModules.loadedPackages()): string[] {
  if (patterns.length === 0) return [];
  return patterns.filter((pattern) => !loaded.some((pkg) => patternMatchesPackage(pattern, pkg))).map((pattern) => unmatched(pattern, loaded));
}

function unmatched(pattern: string, loaded: readonly LoadedPackage[]): string {
  const names = [...new Set(loaded.map((p) => (p.name === p.folder ? p.name : `${p.folder} (package ${p.name})`)))];
  const which =
    names.length === 0
      ? 'no package under node_modules was loaded'
      : names.length <= LISTED
        ? `loaded: ${names.join(', ')}`
        : `${names.length} packages were loaded, e.g. ${names.slice(0, LISTED).join(', ')}`;
  return `--instrument ${pattern} matched no package the scenarios loaded (${which}); a pattern is matched against each package's package.json name and the folder it is installed in.`;
}
