import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTRUMENTABLE_EXTENSIONS } from './source-kind.js';

/** Which loaded modules get instrumented. */
export interface InstrumentPolicy {
  /**
   * Package names under `node_modules` to instrument anyway, e.g. `async-mutex` or `@acme/*`
   * (`*` matches any run of characters). Code outside `node_modules` is always instrumented.
   */
  readonly include: readonly string[];
  /** Absolute directories never instrumented, whatever `include` says (race-hunt's own `dist`/`src`). */
  readonly excludeRoots: readonly string[];
}

const NODE_MODULES = '/node_modules/';

/**
 * Decides whether the module at `url` is instrumented: a `file:` URL with a JavaScript or
 * TypeScript extension, outside every exclude root, and either outside `node_modules` or in a
 * package (the one after the *last* `node_modules`, so nested dependencies are judged by their
 * own name) matching one of the include patterns.
 */
export function shouldInstrument(url: string, policy: InstrumentPolicy): boolean {
  const filePath = filePathOf(url);
  if (filePath === undefined) return false;
  if (!INSTRUMENTABLE_EXTENSIONS.includes(extname(filePath))) return false;
  if (policy.excludeRoots.some((root) => isInside(filePath, root))) return false;
  const packageName = packageNameOf(filePath);
  return packageName === undefined || policy.include.some((pattern) => matchesPattern(packageName, pattern));
}

/**
 * Whether the file at `filePath` lies in a package under `node_modules` that `include` names:
 * a dependency that runs instrumented, as the user's own code does.
 */
export function inIncludedPackage(filePath: string, include: readonly string[]): boolean {
  const packageName = packageNameOf(filePath);
  return packageName !== undefined && include.some((pattern) => matchesPattern(packageName, pattern));
}

/** The absolute path of a `file:` URL (query and hash dropped), or `undefined` for any other URL. */
function filePathOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'file:') return undefined;
  try {
    return fileURLToPath(parsed);
  } catch {
    // e.g. a file: URL with a host on POSIX, or an encoded separator.
    return undefined;
  }
}

function isInside(filePath: string, root: string): boolean {
  const dir = resolve(root);
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  return filePath === dir || filePath.startsWith(prefix);
}

/** The package a file belongs to if it lies under a `node_modules` directory, e.g. `@scope/name`. */
function packageNameOf(filePath: string): string | undefined {
  const posixPath = filePath.split(sep).join('/');
  const at = posixPath.lastIndexOf(NODE_MODULES);
  if (at === -1) return undefined;
  const segments = posixPath.slice(at + NODE_MODULES.length).split('/');
  const [first = '', second = ''] = segments;
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function matchesPattern(name: string, pattern: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(name);
}
