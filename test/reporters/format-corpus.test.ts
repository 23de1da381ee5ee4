import { describe, expect, it } from 'vitest';
import type { CorpusReport } from '../../src/core/report.js';
import { corpusLines } from '../../src/reporters/format-corpus.js';

const empty: CorpusReport = { replayed: 0, failing: [], fixed: [], stale: [], unverified: [], pruned: [], warnings: [] };

describe('what the terminal says about the saved failures it replayed', () => {
  it('nothing when there is nothing beyond the reported failure', () => {
    expect(corpusLines(empty)).toEqual([]);
    expect(corpusLines({ ...empty, replayed: 1, hit: 'f/a.json' })).toEqual([]);
  });

  it('one line per file that is not the reported one, with what --prune-corpus does', () => {
    const lines = corpusLines({
      ...empty,
      replayed: 4,
      hit: 'f/a.json',
      failing: ['f/b.json'],
      fixed: ['f/c.json'],
      stale: [{ file: 'f/d.json', divergence: 'at decision 2 the schedule expects 2 ready options but the run has 3', cause: 'likely cause: lib/x.ts changed since it was saved' }],
    });
    expect(lines).toEqual([
      'corpus: 4 saved failures replayed — 2 still failing, 1 fixed, 1 stale',
      '  still failing: f/b.json',
      '  fixed: f/c.json — its schedule now passes; --prune-corpus removes it',
      '  stale: f/d.json — its schedule no longer fits the code (at decision 2 the schedule expects 2 ready options but the run has 3); likely cause: lib/x.ts changed since it was saved; --prune-corpus removes it',
    ]);
  });

  it('says what was removed', () => {
    expect(corpusLines({ ...empty, replayed: 1, fixed: ['f/c.json'], pruned: ['f/c.json'] })).toEqual([
      'corpus: 1 saved failure replayed — 1 fixed',
      '  fixed: f/c.json — its schedule now passes; removed (--prune-corpus)',
    ]);
  });

  it('says when the reported one replayed with its own options rather than the run’s', () => {
    expect(corpusLines({ ...empty, replayed: 1, hit: 'f/a.json', hitOptions: { maxSteps: 40, timers: 'strict', instrument: [] } })).toEqual([
      "replayed with the options it was saved with (--max-steps 40, --timers strict), not this run's",
    ]);
  });
});
