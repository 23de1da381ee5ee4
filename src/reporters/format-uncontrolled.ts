import type { FileAwaits, UncontrolledAwaits, UncontrolledReport } from '../core/uncontrolled.js';
import { isFileAwaits } from '../core/uncontrolled.js';
import { countOf } from './format-trace.js';

const NOT_CONTROLLED = "ran without race-hunt's control";

function awaits(n: number): string {
  return countOf(n, 'await');
}

/** `node_modules/foo`, or `node_modules/foo (package bar)` for an aliased install. */
function packagePlace(entry: Exclude<UncontrolledAwaits, FileAwaits>): string {
  const folderName = entry.folder.replace(/^(?:.*\/)?node_modules\//, '');
  return folderName === entry.package ? entry.folder : `${entry.folder} (package ${entry.package})`;
}

/**
 * One sentence per place where awaits ran natively: "41 awaits in node_modules/@smithy/core ran
 * without race-hunt's control; add `--instrument @smithy/core` to explore them."
 */
export function uncontrolledAwaitLines(report: UncontrolledReport): string[] {
  return report.awaits.map((entry) => {
    if (isFileAwaits(entry)) return `${awaits(entry.count)} in ${entry.file} ${NOT_CONTROLLED} (${entry.reason})`;
    const where = `${awaits(entry.count)} in ${packagePlace(entry)} ${NOT_CONTROLLED}`;
    if (entry.included) return `${where} (${entry.reason ?? 'not instrumented'})`;
    return `${where}; add \`--instrument ${entry.package}\` to explore them.`;
  });
}

/** "real I/O ran (file system in 12 runs, DNS in 1 run)", or undefined when there was none. */
export function realIoPhrase(report: UncontrolledReport): string | undefined {
  if (report.realIo.length === 0) return undefined;
  // Several of Node's kinds share a name (FSReqCallback, FSReqPromise: file system): the most runs per name.
  const byName = new Map<string, number>();
  for (const use of report.realIo) byName.set(use.name, Math.max(byName.get(use.name) ?? 0, use.runs));
  const kinds = [...byName].map(([name, runs]) => `${name} in ${countOf(runs, 'run')}`);
  return `real I/O ran (${kinds.join(', ')})`;
}

/**
 * What qualifies a verification: " — but 41 awaits in node_modules/@smithy/core ran without
 * race-hunt's control, and real I/O ran (file system in 12 runs), whose results and timing come
 * from outside race-hunt". Empty when nothing ran outside its control.
 */
export function verificationCaveat(report: UncontrolledReport): string {
  const parts: string[] = [];
  const packages = report.awaits.filter((e) => !isFileAwaits(e)) as Exclude<UncontrolledAwaits, FileAwaits>[];
  if (packages.length === 1) parts.push(`${awaits(packages[0]!.count)} in ${packagePlace(packages[0]!)} ${NOT_CONTROLLED}`);
  else if (packages.length > 1) parts.push(`awaits in ${packages.length} packages (${packages.map((p) => p.package).join(', ')}) ${NOT_CONTROLLED}`);
  const io = realIoPhrase(report);
  if (io !== undefined) parts.push(`${io}, whose results and timing come from outside race-hunt`);
  return parts.length === 0 ? '' : ` — but ${parts.join(', and ')}`;
}

/** Why an exhaustive search is no verification: "3 awaits in src/foo.ts ran without race-hunt's control". */
export function notVerifiedBecause(report: UncontrolledReport): string {
  const files = report.awaits.filter(isFileAwaits);
  const list = files.map((f) => `${awaits(f.count)} in ${f.file}`).join(', ');
  return `this is no verification: code of yours ${NOT_CONTROLLED} (${list})`;
}
