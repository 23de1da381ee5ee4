import { createHash } from 'node:crypto';

/** One of `count` CI jobs, numbered from 1: `--shard 2/4` is `{ index: 2, count: 4 }`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** A scenario as sharding sees it: the file (relative to the working directory) and its name. */
export interface ScenarioKey {
  readonly file: string;
  readonly name: string;
}

/** The largest `n` of `--shard i/n`: more jobs than this is surely a typo. */
export const MAX_SHARDS = 1000;

/** Reads `i/n` (1 ≤ i ≤ n); a sentence saying what is wrong otherwise. */
export function parseShard(text: string): Shard | string {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const usage = `--shard takes i/n, this job's number i from 1 to n jobs, e.g. --shard 2/4; got "${text}".`;
  if (match === null) return usage;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) return `${usage.slice(0, -1)} (n goes from 1 to ${MAX_SHARDS}).`;
  if (index < 1 || index > count) return `${usage.slice(0, -1)} (i goes from 1 to n).`;
  return { index, count };
}

/** Whether `shard` is a valid shard, for callers of the API that build one by hand. */
export function isShard(shard: Shard): boolean {
  const whole = (n: number): boolean => Number.isInteger(n);
  return whole(shard.index) && whole(shard.count) && shard.count >= 1 && shard.count <= MAX_SHARDS && shard.index >= 1 && shard.index <= shard.count;
}

/**
 * Splits scenarios over `count` shards: sorted by a hash of file and name, then cut into
 * `count` contiguous runs whose sizes differ by at most one. Returns the shard (1-based) of
 * each scenario, in input order.
 *
 * Why this split (vitest's, by hash, rather than Playwright's, by order): it depends only on the
 * set of scenarios, not on the order files are found or load in; the shards are as balanced as
 * they can be; and because a new scenario lands at a random place in hash order, adding (or
 * removing) one moves at most one other scenario across each of the `count − 1` cuts, where a
 * round-robin over sorted names would move every scenario after it. Pure hash-modulo
 * assignment would move none, but leaves shards unbalanced (or empty) for the few dozen
 * scenarios a project has.
 */
export function assignShards(scenarios: readonly ScenarioKey[], count: number): number[] {
  const order = scenarios
    .map((scenario, position) => ({ position, hash: hashOf(scenario), scenario }))
    .sort((a, b) => compare(a.hash, b.hash) || compare(a.scenario.file, b.scenario.file) || compare(a.scenario.name, b.scenario.name));
  const shards = new Array<number>(scenarios.length);
  order.forEach(({ position }, rank) => {
    shards[position] = Math.floor((rank * count) / scenarios.length) + 1;
  });
  return shards;
}

/** The scenarios of one shard, in input order. */
export function scenariosOfShard<T extends ScenarioKey>(scenarios: readonly T[], shard: Shard): T[] {
  const shards = assignShards(scenarios, shard.count);
  return scenarios.filter((_, i) => shards[i] === shard.index);
}

/** The same hash on every machine, OS and Node version: the split must agree across CI jobs. */
function hashOf({ file, name }: ScenarioKey): string {
  return createHash('sha256').update(file.replaceAll('\\', '/')).update('\0').update(name).digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a sharded run explored: "shard 2/3: 5 of 14 scenarios". */
export interface ShardSummary extends Shard {
  /** Scenarios in this shard. */
  readonly scenarios: number;
  /** Scenarios in all shards together (those `--scenario` selects, when given). */
  readonly total: number;
  /** The run has one scenario: every shard explores it, and the shards split its runs by run index. */
  readonly runsSplit?: true;
}
