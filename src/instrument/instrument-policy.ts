import { extname, resolve, sep } from 'node:path';
import type { PackageOf } from './package-of.js';
import { packageOf, patternMatchesPackage } from './package-of.js';
import { INSTRUMENTABLE_EXTENSIONS } from './source-kind.js';
import { filePathOf } from './file-path-of.js';

/** Which loaded modules get instrumented. */
export interface InstrumentPolicy {
  /**
   * Package names under `node_modules` to instrument anyway, e.g. `async-mutex` or `@acme/*`
   * (`*` matches any run of characters), matched against a package's `package.json` name and
   * the folder it is installed as. Code outside `node_modules` is always instrumented.
   */
  readonly include: readonly string[];
  /** Absolute directories never instrumented, whatever `include` says (race-hunt's own `dist`/`src`). */
  readonly excludeRoots: readonly string[];
}

/** What the policy says about one module, and what it looked at to say it. */
export interface InstrumentDecision {
  readonly instrument: boolean;
  /** The module's file, for a `file:` URL. */
  readonly file?: string;
  /** The package under `node_modules` the file belongs to, if any. */
  readonly package?: PackageOf;
}

const NOT_A_FILE: InstrumentDecision = { instrument: false };

/**
 * Decides whether the module at `url` is instrumented: a `file:` URL with a JavaScript or
 * TypeScript extension, outside every exclude root, and either outside `node_modules` or in a
 * package (the one after the *last* `node_modules`, so nested dependencies are judged by their
 * own name) matching one of the include patterns.
 */
export function shouldInstrument(url: string, policy: InstrumentPolicy): boolean {
  return decideInstrument(url, policy).instrument;
}

/** {@link shouldInstrument}, with the file and package it judged (what was loaded, for race-hunt's reports). */
export function decideInstrument(url: string, policy: InstrumentPolicy): InstrumentDecision {
  const filePath = filePathOf(url);
  if (filePath === undefined) return NOT_A_FILE;
  if (!INSTRUMENTABLE_EXTENSIONS.includes(extname(filePath))) return { instrument: false, file: filePath };
  if (policy.excludeRoots.some((root) => isInside(filePath, root))) return { instrument: false, file: filePath };
  const pkg = packageOf(filePath);
  if (pkg === undefined) return { instrument: true, file: filePath };
  return { instrument: policy.include.some((pattern) => patternMatchesPackage(pattern, pkg)), file: filePath, package: pkg };
}

/**
 * Whether the file at `filePath` lies in a package under `node_modules` that `include` names:
 * a dependency that runs instrumented, as the user's own code does.
 */
export function inIncludedPackage(filePath: string, include: readonly string[]): boolean {
  const pkg = packageOf(filePath);
  return pkg !== undefined && include.some((pattern) => patternMatchesPackage(pattern, pkg));
}


function isInside(filePath: string, root: string): boolean {
  const dir = resolve(root);
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  return filePath === dir || filePath.startsWith(prefix);
}
