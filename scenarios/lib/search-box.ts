const WORDS = ['react', 'read', 'ready', 'real', 'reason', 'redux', 'regex', 'remix', 'render', 'rest'];

/** The search backend: a request and a response, each a network hop whose latency varies. */
export class SearchApi {
  async search(query: string): Promise<string[]> {
    await Promise.resolve(); // the request travels
    const hits = WORDS.filter((word) => word.startsWith(query));
    await Promise.resolve(); // the response travels back
    return hits;
  }
}

/** A search-as-you-type box: every keystroke starts a search, without waiting for the previous one. */
export class SearchBox {
  /** What the user has typed. */
  query = '';
  /** The results on screen, and the query they answer. */
  results: readonly string[] = [];
  resultsFor = '';
  /** Requests issued so far; a response may only be shown if it answers the latest one. */
  #latestRequest = 0;

  constructor(private readonly api: SearchApi) {}

  /** Buggy: shows whichever response arrives last, even if it answers an older query. */
  async type(query: string): Promise<void> {
    this.query = query;
    const hits = await this.api.search(query);
    this.show(query, hits);
  }

  /** Fixed: numbers every request and drops a response that a newer request has superseded. */
  async typeLatestOnly(query: string): Promise<void> {
    this.query = query;
    const request = ++this.#latestRequest;
    const hits = await this.api.search(query);
    if (request !== this.#latestRequest) return; // stale: a newer search is under way or done
    this.show(query, hits);
  }

  private show(query: string, hits: readonly string[]): void {
    this.results = hits;
    this.resultsFor = query;
  }
}
