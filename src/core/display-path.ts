import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How race-hunt shows a file (in LOC strings, traces and messages): relative to `cwd` with `/`
 * separators when inside it, else absolute. Accepts `file:` URLs. No I/O.
 */
export function displayPath(file: string, cwd: string): string {
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  const rel = relative(cwd, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}
