import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SourceLookup } from './format-trace.js';

/** Reads source lines for trace locations (`file:line:col`), caching each file. */
export function sourceLookup(cwd: string): SourceLookup {
  const files = new Map<string, readonly string[] | undefined>();
  const rawLine = (location: string): { line: string; column: number } | undefined => {
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
    return line === undefined ? undefined : { line, column: Number(match[3]) - 1 };
  };
  const lookup = (location: string): string | undefined => rawLine(location)?.line.trim();
  // The line is shown without its indentation: the column moves left by as much.
  const columnIn = (location: string): number | undefined => {
    const raw = rawLine(location);
    return raw === undefined ? undefined : Math.max(0, raw.column - (raw.line.length - raw.line.trimStart().length));
  };
  return Object.assign(lookup, { columnIn });
}
