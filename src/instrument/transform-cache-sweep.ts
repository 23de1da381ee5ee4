/**
 * Keeps the transform cache bounded. Entries are marked used when read (their modification time,
 * see `transform-cache-entry.ts`); a sweep removes those unused for a month, then the least recently
 * used until the rest fit the size limit, and temporary files a crashed writer left behind. A sweep
 * lists the folder and stats each file, so it runs at most once an hour per cache folder (a marker
 * file's time says when the last one ran), and only after an entry was written. An entry's map file
 * (`transform-cache-map.ts`) counts towards its size and goes with it; a map whose entry is gone is
 * a leftover.
 */
import { readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAP_SUFFIX } from './transform-cache-map.js';

/** How big and how stale the cache may get, and how often it is swept. */
export interface SweepLimits {
  /** Total bytes of entries kept (the least recently used go first). */
  readonly maxBytes: number;
  /** An entry unused for this long is removed. */
  readonly maxIdleMs: number;
  /** Sweeps of one folder are at least this far apart. */
  readonly everyMs: number;
  /** A temporary file this old is a crashed writer's leftover. */
  readonly strayMs: number;
}

const HOUR = 60 * 60 * 1000;

export const SWEEP_LIMITS: SweepLimits = {
  maxBytes: 512 * 1024 * 1024,
  maxIdleMs: 30 * 24 * HOUR,
  everyMs: HOUR,
  strayMs: HOUR,
};

/** The marker whose modification time is the last sweep's. */
const MARKER = 'last-sweep';
export const ENTRY_SUFFIX = '.entry';
const TEMPORARY_SUFFIX = '.tmp';

/**
 * Sweeps `dir` unless another sweep (by any process) ran within `limits.everyMs`. Returns how many
 * files it removed, or `undefined` when no sweep was due. Never throws.
 */
export function sweepIfDue(dir: string, limits: SweepLimits = SWEEP_LIMITS, now = Date.now()): number | undefined {
  const marker = join(dir, MARKER);
  try {
    if (now - statSync(marker).mtimeMs < limits.everyMs) return undefined;
  } catch {
    // No marker yet: never swept.
  }
  try {
    // Claim this sweep first, so that processes starting together do not all sweep.
    writeFileSync(marker, '');
  } catch {
    return undefined;
  }
  return sweep(dir, limits, now);
}

/** Removes stale entries and leftovers from `dir`, then the least recently used entries over the size limit. */
export function sweep(dir: string, limits: SweepLimits, now: number): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  const present = new Set(names);
  const kept: { path: string; mapPath: string; size: number; usedMs: number }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const isEntry = name.endsWith(ENTRY_SUFFIX);
    const isMap = name.endsWith(MAP_SUFFIX);
    if (!isEntry && !isMap && !name.endsWith(TEMPORARY_SUFFIX)) continue;
    // A map is kept as long as its entry is (the entry is written after it, and read without it).
    if (isMap && present.has(`${name.slice(0, -MAP_SUFFIX.length)}${ENTRY_SUFFIX}`)) continue;
    const stats = statOf(path);
    if (stats === undefined) continue;
    const idleMs = now - stats.mtimeMs;
    const mapPath = isEntry ? `${path.slice(0, -ENTRY_SUFFIX.length)}${MAP_SUFFIX}` : '';
    if (idleMs > (isEntry ? limits.maxIdleMs : limits.strayMs)) {
      if (remove(path)) removed++;
      if (isEntry && remove(mapPath)) removed++;
    } else if (isEntry) {
      kept.push({ path, mapPath, size: stats.size + (statOf(mapPath)?.size ?? 0), usedMs: stats.mtimeMs });
    }
  }
  let total = kept.reduce((sum, entry) => sum + entry.size, 0);
  kept.sort((a, b) => a.usedMs - b.usedMs);
  for (const entry of kept) {
    if (total <= limits.maxBytes) break;
    total -= entry.size;
    if (remove(entry.path)) removed++;
    if (remove(entry.mapPath)) removed++;
  }
  return removed;
}

function statOf(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function remove(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}
