/**
 * The transform cache: what instrumenting a source gave, kept on disk so that the next start of
 * race-hunt (a replay, another run) does not parse and rewrite it again. A large dependency named
 * with `--instrument` (TypeScript's compiler: 9 MB) costs seconds to instrument and a fraction of
 * that to read back. Every module hook (ES modules in the loader thread, CommonJS in the main
 * thread) goes through {@link cachedTransform}; each thread keeps its own state.
 *
 * An entry is found by a hash of everything the output depends on: the source text, the file's
 * path and the working directory (the output names the file, relative to it, and so does a
 * chained source map, which comes from the text), the hook's settings (CommonJS or module,
 * tracking) and the instrumenter itself (`instrumenter-fingerprint.ts`). Which files are
 * instrumented (the `--instrument` policy) is decided before the cache is asked, so it is not part
 * of the key. The cache is best-effort: an entry it cannot read is a miss, one it cannot write is
 * skipped, and the run goes on either way.
 *
 * `RACE_HUNT_CACHE=0` turns it off; `RACE_HUNT_DEBUG=cache` prints each hit and miss on stderr.
 */
import { createHash } from 'node:crypto';
import { existsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { countOf } from '../core/count.js';
import { instrumenterFingerprint } from './instrumenter-fingerprint.js';
import { cacheTurnedOff, transformCacheDir } from './transform-cache-dir.js';
import { readEntry, writeAtomically, writeEntry } from './transform-cache-entry.js';
import { MAP_SUFFIX, refersToMap, splitInlineMap } from './transform-cache-map.js';
import type { TransformOutcome } from './transform-cache-entry.js';
import { ENTRY_SUFFIX, sweepIfDue } from './transform-cache-sweep.js';
import type { InstrumentedSource } from './transform.js';

export type { TransformOutcome } from './transform-cache-entry.js';

/** What an instrumented text is a function of (besides race-hunt's own code). */
export interface TransformKey {
  /** The text handed to the instrumenter. */
  readonly source: string;
  /** The file's absolute path. */
  readonly filePath: string;
  /** The working directory the output names files relative to. */
  readonly cwd: string;
  /** Every other setting the output depends on: the hook, how the text is parsed, tracking. */
  readonly settings: Readonly<Record<string, string | boolean>>;
}

/**
 * Sources shorter than this are instrumented every time. A hit beats instrumenting at every size
 * measured (bench/RESULTS.md, "Transform cache"), but below 4 KB instrumenting takes well under a
 * millisecond and a miss's write a third of that: the many small files of a project, each edit
 * of which is a new entry, would fill the folder to save almost nothing.
 */
export const MIN_CACHED_LENGTH = 4 * 1024;

/** Per thread: each cache folder by working directory (`undefined`: none could be made writable). */
const folders = new Map<string, string | undefined>();
/** Per thread: folders already offered a sweep. */
const offeredSweep = new Set<string>();

/**
 * The outcome of `transform` for `key`: read from the cache when an entry holds it, else computed
 * and stored. `transform` must be a function of `key` alone (and of race-hunt's code); it may throw,
 * and then nothing is stored.
 */
export function cachedTransform(key: TransformKey, transform: () => TransformOutcome): TransformOutcome {
  if (key.source.length < MIN_CACHED_LENGTH) return transform();
  const dir = cacheFolder(key.cwd);
  if (dir === undefined) return transform();
  const hash = keyHash(key);
  const path = join(dir, `${hash}${ENTRY_SUFFIX}`);
  const mapPath = join(dir, `${hash}${MAP_SUFFIX}`);
  const cached = readEntry(path, hash);
  // An entry whose map file went missing (removed by hand) is made again rather than lose its stack traces.
  if (cached !== undefined && (cached.kind !== 'instrumented' || !refersToMap(cached.code, key.filePath, mapPath) || existsSync(mapPath))) {
    debug(`hit ${key.filePath} (${path})`);
    return cached;
  }
  const outcome = withMapApart(transform(), key.filePath, mapPath);
  const failure = writeEntry(path, hash, outcome);
  debug(`miss ${key.filePath} (${failure === undefined ? `stored ${path}` : `not stored: ${failure.message}`})`);
  if (failure === undefined && !offeredSweep.has(dir)) {
    offeredSweep.add(dir);
    const removed = sweepIfDue(dir);
    if (removed !== undefined) debug(`swept ${dir}: ${countOf(removed, 'file')} removed`);
  }
  return outcome;
}

/**
 * Runs the instrumenter and says what it gave: its text, nothing to rewrite, or the reason it
 * refused the file (which `instrumentSource` hands to `onRefused`).
 */
export function outcomeOf(instrument: (onRefused: (reason: string) => void) => InstrumentedSource | undefined): TransformOutcome {
  let refusal: string | undefined;
  const instrumented = instrument((reason) => (refusal = reason));
  if (instrumented !== undefined) return { kind: 'instrumented', code: instrumented.code };
  return refusal === undefined ? { kind: 'unchanged' } : { kind: 'refused', reason: refusal };
}

/** `outcome` with a large source map moved to `mapPath` (see `transform-cache-map.ts`), if it could be written. */
function withMapApart(outcome: TransformOutcome, filePath: string, mapPath: string): TransformOutcome {
  if (outcome.kind !== 'instrumented') return outcome;
  const split = splitInlineMap(outcome.code, filePath, mapPath);
  if (split === undefined) return outcome;
  // The map is written first: an entry is never stored before the map it names.
  const failure = writeAtomically(mapPath, [split.map]);
  if (failure !== undefined) {
    debug(`map of ${filePath} kept inline: ${failure.message}`);
    return outcome;
  }
  return { kind: 'instrumented', code: split.code };
}

function cacheFolder(cwd: string): string | undefined {
  if (!folders.has(cwd)) {
    const dir = cacheTurnedOff() ? undefined : transformCacheDir(cwd);
    folders.set(cwd, dir);
    debug(dir === undefined ? `off for ${cwd}` : `folder ${dir}`);
  }
  return folders.get(cwd);
}

function keyHash({ source, filePath, cwd, settings }: TransformKey): string {
  const sorted = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : 1)));
  const header = JSON.stringify({ instrumenter: instrumenterFingerprint(), filePath, cwd, settings: sorted });
  return createHash('sha256').update(header).update('\n').update(source).digest('hex');
}

const DEBUG = /(?:^|,)\s*cache\s*(?:,|$)/.test(process.env.RACE_HUNT_DEBUG ?? '');

// Written straight to file descriptor 2: the loader thread's `process.stderr` is relayed to the
// main thread asynchronously, and may lose lines written just before the process exits.
function debug(line: string): void {
  if (!DEBUG) return;
  try {
    writeSync(2, `race-hunt cache: ${line}\n`);
  } catch {
    // stderr closed: nothing to tell.
  }
}
