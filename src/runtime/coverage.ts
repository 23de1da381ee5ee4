/**
 * What all executions of one exploration share, interned so that a step costs integer work:
 * await locations, await sites (a location with its caller's, as the `sites` strategy ranks
 * them) and the ordered pairs of await locations seen (coverage).
 */
import { fnv1a } from '../core/fnv1a.js';
export interface Coverage {
  readonly locationIds: Map<string, number>;
  /** Per location id, a hash of the location's text: the same in every worker, unlike the id. */
  readonly locationHashes: number[];
  /** Await pair → the index of the run that saw it first. */
  readonly awaitPairs: Map<number | string, number>;
  /** The index of the run in progress. */
  run: number;
  /** Site numbers by (location id, caller location id). */
  readonly sites: Map<number | string, number>;
}

/** Fresh coverage for one exploration. */
export function newCoverage(): Coverage {
  return { locationIds: new Map(), locationHashes: [], awaitPairs: new Map(), run: 0, sites: new Map() };
}

/** The interned number of an await location. */
export function locationIdOf(coverage: Coverage, location: string): number {
  const ids = coverage.locationIds;
  let id = ids.get(location);
  if (id === undefined) {
    id = ids.size;
    ids.set(location, id);
    coverage.locationHashes.push(hashText(location));
  }
  return id;
}

/** FNV-1a over the text's UTF-16 units, in 24 bits. */
function hashText(text: string): number {
  return fnv1a(text) & 0xffffff;
}

/**
 * The await pairs seen, by location text (`from` is empty at a task's first await), each
 * with the run index that saw it first: what a merge of several workers' coverage needs.
 */
export function awaitPairsByText(coverage: Coverage): Array<readonly [from: string, to: string, run: number]> {
  const texts: string[] = [];
  for (const [text, id] of coverage.locationIds) texts[id] = text;
  const out: Array<readonly [string, string, number]> = [];
  for (const [key, run] of coverage.awaitPairs) {
    const [a, b] = typeof key === 'number' ? [Math.floor(key / 0x8000) - 1, key % 0x8000] : key.split(':').map(Number);
    out.push([a! < 0 ? '' : texts[a!]!, texts[b!]!, run]);
  }
  return out;
}

/** A pair of small integers as one key that stays a small integer (no allocation) while it can. */
export function pairKey(a: number, b: number): number | string {
  return a < 0x7fff && b < 0x7fff ? (a + 1) * 0x8000 + b : `${a}:${b}`;
}

/** The site of an await at `location` whose caller waits at `callerLocation`: interned, numbered in order of first sight. */
export function siteOf(coverage: Coverage, location: string, callerLocation: string | undefined): number {
  const key = pairKey(callerLocation === undefined ? -1 : locationIdOf(coverage, callerLocation), locationIdOf(coverage, location));
  let site = coverage.sites.get(key);
  if (site === undefined) {
    site = coverage.sites.size;
    coverage.sites.set(key, site);
  }
  return site;
}
