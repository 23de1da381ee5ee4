import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Scenario modules in a directory are named like tests: `*.scenario.ts` (or .mts, .cts, .tsx, .js, .mjs, .cjs, .jsx). */
export const SCENARIO_FILE = /\.scenario\.(?:ts|mts|cts|tsx|js|mjs|cjs|jsx)$/;

/** A path given on the command line: the scenario files it stands for, or why it stands for none. */
export type PathResolution =
  | { readonly path: string; readonly files: readonly string[] }
  | { readonly path: string; readonly problem: string };

/**
 * Expands the paths a user gave: a file stands for itself (whatever its name), a directory
 * for every scenario module below it (skipping node_modules and dot-directories), sorted.
 */
export function findScenarioFiles(paths: readonly string[], cwd: string): PathResolution[] {
  return paths.map((path) => {
    const absolute = resolve(cwd, path);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      return { path, problem: `${path} does not exist. Check the path (relative to ${cwd}) and run again.` };
    }
    if (!stats.isDirectory()) return { path, files: [absolute] };
    const files = walk(absolute).sort();
    if (files.length === 0) {
      return {
        path,
        problem: `${path} holds no scenario modules. Name them like tests, *.scenario.ts (or .mts, .js, .mjs), or pass the file itself.`,
      };
    }
    return { path, files };
  });
}

function walk(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(full));
    else if (SCENARIO_FILE.test(entry.name)) found.push(full);
  }
  return found;
}
