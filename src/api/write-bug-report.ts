import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { displayPath } from '../core/display-path.js';
import { bugReport } from '../reporters/bug-report.js';
import { sourceLookup } from '../reporters/source-lines.js';
import type { FailureRecord } from '../failures/failure-record.js';

/**
 * Writes the bug report of a saved failure into `dir`: `<name>.md`, `<name>.svg` and
 * `<name>.html`, named after the failure file. Returns their paths relative to `cwd`.
 */
export function writeBugReport(record: FailureRecord, failureFile: string, dir: string, cwd: string): string[] {
  const target = resolve(cwd, dir);
  mkdirSync(target, { recursive: true });
  const slug = basename(failureFile).replace(/\.json$/, '');
  const files = bugReport(record, slug, sourceLookup(cwd));
  return [files.markdown, files.svg, files.html].map((file) => {
    const path = join(target, file.name);
    writeFileSync(path, file.text);
    return displayPath(path, cwd);
  });
}
