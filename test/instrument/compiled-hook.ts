// Test helper: the loader hook runs in Node's loader thread, where no TypeScript loader is active
// before it (it must be registered before tsx), so tests compile src/instrument to JavaScript first,
// the way `npm run build` would, into a throw-away directory from which `oxc-parser` still resolves.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The project root (this file is test/instrument/compiled-hook.ts). */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** A compiled copy of src/instrument; `remove()` deletes it. */
export interface CompiledHook {
  readonly hookUrl: string;
  remove(): Promise<void>;
}

/** Transpiles every module of src/instrument, and of src/core (which it may import), into node_modules/.cache (so bare imports resolve). */
export async function compileInstrumentHook(): Promise<CompiledHook> {
  const outRoot = join(PROJECT_ROOT, 'node_modules', '.cache', 'race-hunt-tests', `instrument-${process.pid}-${Date.now()}`);
  const outDir = join(outRoot, 'instrument');
  for (const folder of ['instrument', 'core']) {
    const sourceDir = join(PROJECT_ROOT, 'src', folder);
    await mkdir(join(outRoot, folder), { recursive: true });
    for (const name of await readdir(sourceDir)) {
      if (!name.endsWith('.ts')) continue;
      const { outputText } = ts.transpileModule(await readFile(join(sourceDir, name), 'utf8'), {
        fileName: name,
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
      });
      await writeFile(join(outRoot, folder, name.replace(/\.ts$/, '.js')), outputText);
    }
  }
  return {
    hookUrl: pathToFileURL(join(outDir, 'loader-hook.js')).href,
    remove: () => rm(outRoot, { recursive: true, force: true }),
  };
}
