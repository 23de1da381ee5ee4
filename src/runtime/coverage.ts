/**
 * What all executions of one exploration share, interned so that a step costs integer work:
 * await locations, await sites (a location with its caller's, as the `sites` strategy ranks
 * them) and the ordered pairs of await locations seen (coverage).
 */
export interface Coverage {
  readonly locationIds: Map<string, number>;
  readonly awaitPairs: Set<number | string>;
  /** Site numbers by (location id, caller location id). */
  readonly sites: Map<number | string, number>;
}

/** Fresh coverage for one exploration. */
export function newCoverage(): Coverage {
  return { locationIds: new Map(), awaitPairs: new Set(), sites: new Map() };
}

/** The interned number of an await location. */
export function locationIdOf(coverage: Coverage, location: string): number {
  const ids = coverage.locationIds;
  let id = ids.get(location);
  if (id === undefined) {
    id = ids.size;
    ids.set(location, id);
  }
  return id;
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
