import { readFileSync } from 'node:fs';
import { FIXTURE_DIR } from './dist-api.js';

/**
 * The `file:line:col` race-hunt reports for `token` on the `nth` (1-based) line of `file`
 * (relative to the fixture directory, as in a sandbox) that contains `needle`. Keeps location assertions exact
 * without hard-coding line numbers of fixtures.
 */
export function locate(file: string, needle: string, token = 'await', nth = 1): string {
  const lines = readFileSync(`${FIXTURE_DIR}/${file}`, 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.includes(needle)) continue;
    if (++seen < nth) continue;
    const col = lines[i]!.indexOf(token);
    if (col < 0) throw new Error(`${file}:${i + 1} has no "${token}"`);
    return `${file}:${i + 1}:${col + 1}`;
  }
  throw new Error(`${file} has no line #${nth} containing "${needle}"`);
}
