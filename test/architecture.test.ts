import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/dist-api.js';

/**
 * The one-way layering of ARCHITECTURE.md, checked on every import in src/: a folder may import
 * only from the folders listed for it (and from itself). The files directly in src/ (the
 * package's entry points) may import anything.
 */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  strategies: ['core'],
  search: ['core', 'strategies'],
  runtime: ['core', 'instrument'], // instrument: only the modules ONLY_MODULES lists
  instrument: ['core'],
  failures: ['core'],
  reporters: ['core', 'failures'],
  loading: ['core', 'instrument', 'runtime'],
  config: ['core', 'reporters', 'strategies', 'loading'],
  workers: ['core', 'api', 'runtime', 'instrument', 'loading', 'strategies', 'search'],
  api: ['core', 'strategies', 'search', 'runtime', 'instrument', 'loading', 'failures', 'reporters', 'workers', 'config'],
  cli: ['core', 'api', 'config', 'reporters', 'failures', 'instrument', 'strategies', 'workers'],
  vitest: ['core', 'api', 'instrument', 'runtime', 'reporters'],
};

/** Where a folder may import only some modules of another (`from → to`: the modules of `to`). */
const ONLY_MODULES: Record<string, readonly string[]> = {
  // The contract with instrumented code; the type of a gated promise call's method; what the
  // loader hooks loaded (uncontrolled.ts); whether a timer's file is an instrumented dependency.
  'runtime → instrument': ['runtime-names', 'promise-calls', 'loaded-modules', 'package-of', 'register-loader'],
};

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

const layerOf = (file: string): string | undefined => {
  const parts = relative(SRC, file).split(/[\\/]/);
  return parts.length > 1 ? parts[0] : undefined;
};

describe('layering', () => {
  it('every import in src/ goes down the layers ARCHITECTURE.md draws', () => {
    const wrong: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      if (from === undefined) continue;
      expect(ALLOWED[from], `src/${from}/ has no entry in the table`).toBeDefined();
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = resolve(dirname(file), match[1]!);
        const to = layerOf(target);
        if (to === undefined || to === from) continue;
        const only = ONLY_MODULES[`${from} → ${to}`];
        const allowed = ALLOWED[from]!.includes(to) && (only === undefined || only.includes(basename(target, '.js')));
        if (!allowed) wrong.push(`${relative(ROOT, file)} imports ${match[1]} (${from} → ${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
