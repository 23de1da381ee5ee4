/**
 * What ran outside race-hunt's control while a scenario was explored: awaits that ran natively
 * (race-hunt cannot interleave other tasks there) and real I/O (whose results and timing come
 * from outside). Data only: `runtime/uncontrolled.ts` collects it, reporters say it.
 */

/** Awaits in one package under `node_modules` that ran natively. */
export interface PackageAwaits {
  /** The package's `package.json` name: what `--instrument` takes. */
  readonly package: string;
  /** Where it is installed, relative to the working directory (`node_modules/@smithy/core`). */
  readonly folder: string;
  /** Awaits that ran natively in one run (the most in any census run). */
  readonly count: number;
  /** Distinct places (file, line, column) they were at. */
  readonly sites: number;
  /** `--instrument` named the package; these awaits are in files that could not be instrumented (`reason`). */
  readonly included: boolean;
  readonly reason?: string;
}

/** Awaits in one of the user's own files (or code it built with eval) that ran natively. */
export interface FileAwaits {
  /** The file, relative to the working directory. */
  readonly file: string;
  readonly count: number;
  readonly sites: number;
  /** Why the file was not instrumented, as far as race-hunt knows. */
  readonly reason: string;
}

export type UncontrolledAwaits = PackageAwaits | FileAwaits;

/** One kind of real operation that was in flight during runs. */
export interface RealIoUse {
  /** Node's name for it (`FSReqCallback`, `GetAddrInfoReqWrap`, …). */
  readonly kind: string;
  /** A person's name for it (`file system`, `DNS`, …). */
  readonly name: string;
  /** How many runs it was seen in. */
  readonly runs: number;
}

/** Everything that ran outside race-hunt's control in one scenario's exploration. */
export interface UncontrolledReport {
  /** Native awaits, the user's files first, then packages; most first. */
  readonly awaits: readonly UncontrolledAwaits[];
  readonly realIo: readonly RealIoUse[];
  /** Runs whose awaits were counted (the first run, and the run reported). */
  readonly censusRuns: number;
}

export const NOTHING_UNCONTROLLED: UncontrolledReport = { awaits: [], realIo: [], censusRuns: 0 };

export function isFileAwaits(entry: UncontrolledAwaits): entry is FileAwaits {
  return 'file' in entry;
}

/**
 * Code of the user's own ran where race-hunt could not interleave: then no exhaustive search is a
 * verification of it, whatever its bound.
 */
export function userCodeRanUncontrolled(report: UncontrolledReport): boolean {
  return report.awaits.some(isFileAwaits);
}

/**
 * Whether an exhaustive search may call itself a verification: it covered its space, and every
 * await of the user's own code in it was race-hunt's to interleave.
 */
export function claimsVerification(exhaustive: boolean, report: UncontrolledReport): boolean {
  return exhaustive && !userCodeRanUncontrolled(report);
}

/**
 * Two reports of one scenario (from workers sharing its runs, or a replay beside its
 * exploration) as one: per place the most awaits any census run had (sites likewise, as the
 * places' sites are not kept), real I/O runs and census runs added up.
 */
export function mergeUncontrolled(a: UncontrolledReport, b: UncontrolledReport): UncontrolledReport {
  const keyOf = (entry: UncontrolledAwaits): string => (isFileAwaits(entry) ? `file:${entry.file}` : `package:${entry.folder}`);
  const awaits = new Map<string, UncontrolledAwaits>();
  for (const entry of [...a.awaits, ...b.awaits]) {
    const seen = awaits.get(keyOf(entry));
    awaits.set(keyOf(entry), seen === undefined ? entry : { ...seen, count: Math.max(seen.count, entry.count), sites: Math.max(seen.sites, entry.sites) });
  }
  const realIo = new Map<string, RealIoUse>();
  for (const use of [...a.realIo, ...b.realIo]) {
    const seen = realIo.get(use.kind);
    realIo.set(use.kind, seen === undefined ? use : { ...seen, runs: seen.runs + use.runs });
  }
  const ordered = [...awaits.values()].sort((x, y) => (isFileAwaits(x) === isFileAwaits(y) ? y.count - x.count : isFileAwaits(x) ? -1 : 1));
  return { awaits: ordered, realIo: [...realIo.values()], censusRuns: a.censusRuns + b.censusRuns };
}

/**
 * A report whose real I/O is counted in no more runs than the exploration reports: workers may
 * run past a failure another found before they hear of it, and those runs are not reported.
 */
export function realIoWithin(report: UncontrolledReport, runs: number): UncontrolledReport {
  if (report.realIo.every((use) => use.runs <= runs)) return report;
  return { ...report, realIo: report.realIo.map((use) => (use.runs <= runs ? use : { ...use, runs })) };
}
