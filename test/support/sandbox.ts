import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_DIR, ROOT } from './dist-api.js';

/**
 * A scratch project holding a copy of the fixture scenarios, where `race-hunt` resolves to
 * this repository (node_modules/race-hunt is a link to it). Runs use it as their working
 * directory, so the failure files race-hunt saves (`.race-hunt/failures/`) land there rather
 * than in the repository, and paths in reports are as short as in the repository.
 */
export interface Sandbox {
  readonly dir: string;
  /** An absolute path inside the sandbox. */
  path(relative: string): string;
  remove(): void;
}

export function makeSandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'rh-sandbox-'));
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'rh-sandbox', private: true, type: 'module' }, null, 2)}\n`);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'race-hunt'), 'dir');
  return {
    dir,
    path: (relative) => join(dir, relative),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
