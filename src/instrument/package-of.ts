import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { escapeRegExp } from '../core/escape-regexp.js';

/** A package under `node_modules`, as a file inside it names it. */
export interface PackageOf {
  /** The package's directory (absolute). */
  readonly root: string;
  /** The folder it is installed as, e.g. `@scope/name`: what `import` names it by. */
  readonly folder: string;
  /**
   * The `name` in its `package.json` (the folder when there is none): differs from `folder` for an
   * aliased install (`"foo": "npm:bar@1"` is installed as `node_modules/foo`, named `bar`).
   */
  readonly name: string;
}

const NODE_MODULES = `${sep}node_modules${sep}`;
/** Package roots already read: every module of a package asks, and package.json is read once. */
const byRoot = new Map<string, PackageOf>();

/**
 * The package a file belongs to if it lies under a `node_modules` directory: the one after the
 * *last* `node_modules`, so a nested dependency (and pnpm's `.pnpm/…/node_modules/x`) is its own.
 */
export function packageOf(filePath: string): PackageOf | undefined {
  const at = filePath.lastIndexOf(NODE_MODULES);
  if (at === -1) return undefined;
  const start = at + NODE_MODULES.length;
  let end = filePath.indexOf(sep, start);
  if (end === -1) return undefined;
  if (filePath.charAt(start) === '@') {
    end = filePath.indexOf(sep, end + 1);
    if (end === -1) return undefined;
  }
  const root = filePath.slice(0, end);
  let found = byRoot.get(root);
  if (found === undefined) {
    const folder = filePath.slice(start, end).split(sep).join('/');
    found = { root, folder, name: manifestName(root) ?? folder };
    byRoot.set(root, found);
  }
  return found;
}

/** The `name` field of `root/package.json`, or `undefined` when there is no readable one. */
function manifestName(root: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof manifest.name === 'string' && manifest.name !== '' ? manifest.name : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an `--instrument` pattern (`*` matches any run of characters) names the package, by its name or its folder. */
export function patternMatchesPackage(pattern: string, pkg: PackageOf): boolean {
  const escaped = pattern.split('*').map(escapeRegExp);
  const re = new RegExp(`^${escaped.join('.*')}$`);
  return re.test(pkg.name) || re.test(pkg.folder);
}
