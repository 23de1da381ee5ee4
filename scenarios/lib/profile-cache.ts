import { setTimeout as sleep } from 'node:timers/promises';

export interface Profile {
  readonly id: string;
  readonly name: string;
}

/** The slow backing store: every `fetchProfile` is a 300 ms query that someone pays for. */
export class ProfileDatabase {
  /** How many queries reached the database. */
  queries = 0;

  async fetchProfile(id: string): Promise<Profile> {
    this.queries++;
    await sleep(300); // the query runs
    return { id, name: `user #${id}` };
  }
}

/** Buggy: check-then-act. Two callers that both miss before the first load finishes both query. */
export class ProfileCache {
  readonly #db: ProfileDatabase;
  readonly #profiles = new Map<string, Profile>();

  constructor(db: ProfileDatabase) {
    this.#db = db;
  }

  async get(id: string): Promise<Profile> {
    const cached = this.#profiles.get(id);
    if (cached !== undefined) return cached;
    const profile = await this.#db.fetchProfile(id);
    this.#profiles.set(id, profile);
    return profile;
  }
}

/** Fixed: caches the in-flight promise, so callers that miss together share one query. */
export class CoalescingProfileCache {
  readonly #db: ProfileDatabase;
  readonly #profiles = new Map<string, Promise<Profile>>();

  constructor(db: ProfileDatabase) {
    this.#db = db;
  }

  get(id: string): Promise<Profile> {
    let profile = this.#profiles.get(id);
    if (profile === undefined) {
      profile = this.#db.fetchProfile(id);
      this.#profiles.set(id, profile);
      // A failed load is not cached: the next caller tries again.
      profile.catch(() => this.#profiles.delete(id));
    }
    return profile;
  }
}
