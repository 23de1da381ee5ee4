import { isAbsolute, relative, sep } from 'node:path';

/** The path LOC strings show: relative to `cwd` with `/` separators when inside it, else absolute. */
export function displayPathOf(filePath: string, cwd: string): string {
  const rel = relative(cwd, filePath);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return filePath;
  return rel.split(sep).join('/');
}
