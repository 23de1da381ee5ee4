import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SourceLookup } from './format-trace.js';

/** Reads source lines for trace locations (`file:line:col`), caching each file. */
export function sourceLookup(cwd: string): SourceLookup {
  const files = new Map<string, readonly string[] | undefined>();
  return (location) => {
    const match = /^(.*):(\d+):(\d+)$/.exec(location);
    if (match === null) return undefined;
    const file = match[1]!;
    if (!files.has(file)) {
      try {
        files.set(file, readFileSync(resolve(cwd, file), 'utf8').split(/\r?\n/));
      } catch {
        files.set(file, undefined);
      }
    }
    const line = files.get(file)?.[Number(match[2]) - 1];
    return line === undefined ? undefined : line.trim();
  };
}
