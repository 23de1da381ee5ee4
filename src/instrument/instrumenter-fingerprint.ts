/**
 * What the instrumenter's output depends on besides its input: race-hunt's version, the code of
 * the instrumenter itself (every module of this folder, so a rebuilt race-hunt with the same
 * version, or a copy of it in development, never reads another build's entries) and the versions
 * of the packages it transforms with.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The packages whose behaviour shapes the instrumented text. */
const TRANSFORM_PACKAGES = ['oxc-parser', 'magic-string', '@jridgewell/remapping', '@jridgewell/trace-mapping', '@typescript-eslint/scope-manager'];
const CODE = /\.(?:js|ts|mjs)$/;
/** Modules of core/ the instrumenter imports; `.js` when built, `.ts` from source. */
const CORE_MODULES = ['display-path', 'own-root'].map((name) => `${name}${fileURLToPath(import.meta.url).endsWith('.ts') ? '.ts' : '.js'}`);

let fingerprint: string | undefined;

/** A hash of everything {@link instrumentSource} depends on besides its arguments; computed once per thread. */
export function instrumenterFingerprint(): string {
  fingerprint ??= computeFingerprint();
  return fingerprint;
}

function computeFingerprint(): string {
  const hash = createHash('sha256');
  hash.update(`race-hunt ${versionOf(join(HERE, '..', '..'))}\n`);
  for (const name of TRANSFORM_PACKAGES) hash.update(`${name} ${versionOf(packageDir(name))}\n`);
  for (const name of readdirSync(HERE).sort()) {
    if (!CODE.test(name) || name.endsWith('.d.ts')) continue;
    hash.update(`${name}\n`).update(readFileSync(join(HERE, name))).update('\n');
  }
  // The instrumenter's output also depends on the core modules it imports (how a path is shown).
  for (const name of CORE_MODULES) hash.update(`core/${name}\n`).update(readFileSync(join(HERE, '..', 'core', name))).update('\n');
  return hash.digest('hex');
}

/** The `version` in `dir/package.json`, or `?` when there is none to read. */
function versionOf(dir: string | undefined): string {
  if (dir === undefined) return '?';
  try {
    return String((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version);
  } catch {
    return '?';
  }
}

/** The folder Node's resolution would find `name` in from here: the nearest `node_modules/<name>` up the tree. */
function packageDir(name: string): string | undefined {
  for (let dir = HERE; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    try {
      readFileSync(join(candidate, 'package.json'));
      return candidate;
    } catch {
      // Not here: look further up.
    }
    if (dirname(dir) === dir) return undefined;
  }
}
