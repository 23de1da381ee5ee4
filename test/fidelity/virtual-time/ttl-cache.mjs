import { setTimeout as sleep } from 'node:timers/promises';
import { runInNode } from './run-in-node.mjs';

/**
 * A TTL cache that checks expiry as lru-cache 11 does (`!!ttl && !!start && now - start > ttl`,
 * start taken from performance.now()): a start of 0 reads as "no TTL". A program's clock is
 * never 0, so an entry set at its start expires as any other.
 */
class TtlCache {
  #entries = new Map();
  constructor(ttl) {
    this.ttl = ttl;
  }
  set(key, value) {
    this.#entries.set(key, { value, start: performance.now() });
  }
  get(key) {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const stale = !!this.ttl && !!entry.start && performance.now() - entry.start > this.ttl;
    if (stale) this.#entries.delete(key);
    return stale ? undefined : entry.value;
  }
}

export async function main(seen) {
  const cache = new TtlCache(100);
  cache.set('session', 'alice');
  seen.atOnce = cache.get('session') ?? null;
  await sleep(250);
  seen.afterTwiceTheTtl = cache.get('session') ?? null;
}

runInNode(import.meta.url, main);
