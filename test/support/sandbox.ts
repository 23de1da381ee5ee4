import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
  /** Writes a file inside the sandbox, making its folders first (a fake package, a scenario). */
  write(relative: string, text: string): void;
  remove(): void;
}

/** A sandbox holding a copy of `from` (default: the end-to-end fixtures). */
export function makeSandbox(from: string = FIXTURE_DIR): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'rh-sandbox-'));
  cpSync(from, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'rh-sandbox', private: true, type: 'module' }, null, 2)}\n`);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'race-hunt'), 'dir');
  return {
    dir,
    path: (relative) => join(dir, relative),
    write: (relative, text) => {
      mkdirSync(dirname(join(dir, relative)), { recursive: true });
      writeFileSync(join(dir, relative), text);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
