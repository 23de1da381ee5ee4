import { createRequire } from 'node:module';
import { dirname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realIoName } from '../core/real-io.js';
import type { RealIoUse, UncontrolledAwaits, UncontrolledReport } from '../core/uncontrolled.js';
import { displayPath } from '../core/display-path.js';
import { loadedModules } from '../instrument/loaded-modules.js';
import type { PackageOf } from '../instrument/package-of.js';
import { packageOf } from '../instrument/package-of.js';
import type { AwaitFrame } from './await-census.js';
import { startAwaitCensus, stopAwaitCensus } from './await-census.js';
import { OWN_ROOT } from '../core/own-root.js';

/** Where a native await's code lives: a package, a file of the user's, or nothing to report (`null`). */
type Place =
  | { readonly kind: 'package'; readonly key: string; readonly pkg: PackageOf; readonly included: boolean; readonly reason?: string }
  | { readonly kind: 'file'; readonly key: string; readonly file: string; readonly reason: string };

/** Awaits at one place in one run, and the distinct sites they were at. */
interface Tally {
  readonly place: Place;
  count: number;
  readonly sites: Set<string>;
}

// Reasons, as they read inside "N awaits in X ran without race-hunt's control (…)".
const NOT_INSTRUMENTED = 'the file was not instrumented: ';
const NEVER_SEEN = `${NOT_INSTRUMENTED}race-hunt's module hooks never saw it load — it was loaded before they were registered (e.g. with --import or --require), run with node:vm, or imported by another module loader (vitest's: inside vitest, add the race-hunt/vitest plugin)`;
const EVALUATED = 'code built at run time with eval or new Function is never instrumented';

/** The log real I/O is noted in: the exploration's, while one of its runs is under way. */
const running: { log?: UncontrolledLog | undefined } = {};

/**
 * Records one kind of real operation in flight in the current run (a name from
 * `process.getActiveResourcesInfo()`: `FSReqCallback`, `GetAddrInfoReqWrap`, …). Call it as
 * often as you like: a run counts each kind once. Outside a run it does nothing.
 */
export function noteRealIo(kind: string): void {
  running.log?.noteRealIo(kind);
}

/**
 * What ran outside race-hunt's control during one scenario's exploration: native awaits, counted
 * in census runs (the first, and any run explicitly asked for: the one reported), and the kinds of
 * real I/O every run did. `runExecution` brackets each run with `beginRun`/`endRun`.
 */
export class UncontrolledLog {
  private runs = 0;
  private censusRuns = 0;
  /** Census every run from now on (the replay of the reported schedule). */
  censusEveryRun = false;
  private readonly awaits = new Map<string, Tally>();
  private readonly realIo = new Map<string, number>();
  /** This run's tallies (census runs only), and the kinds of real I/O it did. */
  private readonly runAwaits = new Map<string, Tally>();
  private readonly runIo: string[] = [];
  /** Classified frames by their script's name (a file has many awaits; most belong to instrumented code). */
  private readonly places = new Map<string, Place | null>();
  private census = false;

  /**
   * @param censusFirstRun count the first run's native awaits (a worker sharing another's runs does not).
   * @param repeatedRuns how many first runs repeat another worker's (the calibration runs every
   *   worker runs): their real I/O is that worker's to count, so a merged report counts each run once.
   */
  constructor(
    private readonly cwd: string,
    private readonly censusFirstRun = true,
    private readonly repeatedRuns = 0,
  ) {}

  beginRun(): void {
    this.runs++;
    running.log = this;
    if ((this.runs === 1 && this.censusFirstRun) || this.censusEveryRun) {
      this.census = true;
      this.censusRuns++;
      startAwaitCensus(this.onAwait);
    }
  }

  endRun(): void {
    running.log = undefined;
    if (this.census) {
      stopAwaitCensus();
      this.census = false;
      this.mergeRunAwaits();
    }
    if (this.runIo.length > 0) {
      if (this.runs > this.repeatedRuns) for (const kind of this.runIo) this.realIo.set(kind, (this.realIo.get(kind) ?? 0) + 1);
      this.runIo.length = 0;
    }
  }

  noteRealIo(kind: string): void {
    if (!this.runIo.includes(kind)) this.runIo.push(kind);
  }

  /** The report: the user's files first, then packages, most awaits first. */
  report(): UncontrolledReport {
    const awaits = [...this.awaits.values()]
      .sort((a, b) => (a.place.kind === b.place.kind ? b.count - a.count : a.place.kind === 'file' ? -1 : 1))
      .map((t) => entryOf(t, this.cwd));
    const realIo: RealIoUse[] = [...this.realIo].map(([kind, runs]) => ({ kind, name: realIoName(kind), runs }));
    return { awaits, realIo, censusRuns: this.censusRuns };
  }

  private readonly onAwait = (frame: AwaitFrame): void => {
    const name = frame.file ?? frame.evalOrigin!;
    let place = this.places.get(name);
    if (place === undefined) {
      place = placeOf(frame);
      // Eval'd code has no name of its own: its origin names the call, not the code, so no caching.
      if (frame.file !== undefined) this.places.set(name, place);
    }
    if (place === null) return;
    let tally = this.runAwaits.get(place.key);
    if (tally === undefined) {
      tally = { place, count: 0, sites: new Set() };
      this.runAwaits.set(place.key, tally);
    }
    tally.count++;
    tally.sites.add(`${name}:${frame.line}:${frame.column}`);
  };

  /** Per place, the most awaits any census run had, and every site seen. */
  private mergeRunAwaits(): void {
    for (const [key, run] of this.runAwaits) {
      const seen = this.awaits.get(key);
      if (seen === undefined) this.awaits.set(key, { place: run.place, count: run.count, sites: new Set(run.sites) });
      else {
        seen.count = Math.max(seen.count, run.count);
        for (const site of run.sites) seen.sites.add(site);
      }
    }
    this.runAwaits.clear();
  }
}

/**
 * race-hunt's own machinery outside its `dist`: tsx, the loader it registers, which compiles a
 * module required during a run (its awaits are race-hunt's, not the user's dependency's).
 */
const LOADER_ROOT = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));

/** Classifies the code a native await ran in; `null` for code race-hunt controls or that is not the user's concern. */
function placeOf(frame: AwaitFrame): Place | null {
  const evaluated = frame.file === undefined;
  const file = pathOfScript(frame.file ?? originFile(frame.evalOrigin ?? ''));
  // Node's own code (its awaits are real I/O), and race-hunt's.
  if (file === undefined || file === OWN_ROOT || file.startsWith(`${OWN_ROOT}/`) || file.startsWith(`${LOADER_ROOT}/`)) return null;
  if (!evaluated && loadedModules.isInstrumented(file)) return null;
  const pkg = packageOf(file);
  if (pkg !== undefined) {
    const included = loadedModules.loadedPackages().some((p) => p.root === pkg.root && p.included);
    const reason = included ? reasonFor(file, evaluated) : undefined;
    return { kind: 'package', key: `package:${pkg.root}`, pkg, included, ...(reason === undefined ? {} : { reason }) };
  }
  return { kind: 'file', key: `file:${file}${evaluated ? ':eval' : ''}`, file, reason: reasonFor(file, evaluated) };
}

/** Why awaits in `file` ran natively although race-hunt meant to instrument it. */
function reasonFor(file: string, evaluated: boolean): string {
  if (evaluated) return EVALUATED;
  const refusal = loadedModules.refusalOf(file);
  return refusal === undefined ? NEVER_SEEN : NOT_INSTRUMENTED + refusal;
}

/** The absolute path of a script's name (a `file:` URL, tsx's query and all, or a path); `undefined` for `node:` and the like. */
function pathOfScript(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return undefined;
  if (name.startsWith('file:')) {
    try {
      // tsx loads a CommonJS module for an ES module under `a.ts%3Ftsx…?tsx…`: the file precedes the query.
      return fileURLToPath(name.split('?')[0]!).split('?')[0];
    } catch {
      return undefined;
    }
  }
  return isAbsolute(name) ? name : undefined;
}

/** The file named in an eval origin (`eval at f (file:///a.mjs:3:7)`, nested or not): the first script location in it. */
function originFile(origin: string): string | undefined {
  return /((?:file:\/\/)?\/[^\s()]+?):\d+:\d+/.exec(origin)?.[1];
}

function entryOf(tally: Tally, cwd: string): UncontrolledAwaits {
  const { place, count } = tally;
  const sites = tally.sites.size;
  if (place.kind === 'file') return { file: displayPath(place.file, cwd), count, sites, reason: place.reason };
  return {
    package: place.pkg.name,
    folder: displayPath(place.pkg.root, cwd),
    count,
    sites,
    included: place.included,
    ...(place.reason === undefined ? {} : { reason: place.reason }),
  };
}
