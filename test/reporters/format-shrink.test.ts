import { describe, expect, it } from 'vitest';
import { shrinkSentence } from '../../src/reporters/format-shrink.js';

const base = { from: { steps: 13, preemptions: 7 }, to: { steps: 4, preemptions: 1 }, runs: 318, durationMs: 1234, budgetMs: 10_000 };

describe('shrinkSentence', () => {
  it('claims "minimal" only for both proofs, and names what it proved otherwise', () => {
    expect(shrinkSentence({ ...base, minimal: true, minimalSteps: true, cutShort: false })).toBe(
      'shrunk from 13 steps / 7 preemptions to 4 steps / 1 preemption (318 runs in 1.2s) — minimal: no schedule with fewer preemptions fails this way, nor one with 1 preemption and fewer steps',
    );
    expect(shrinkSentence({ ...base, minimal: true, minimalSteps: false, cutShort: true })).toBe(
      'shrunk from 13 steps / 7 preemptions to 4 steps / 1 preemption (318 runs in 1.2s) — fewest preemptions: no schedule with fewer fails this way; fewer steps not ruled out: its 10.0s budget ran out (raise --shrink-time)',
    );
    expect(shrinkSentence({ ...base, minimal: false, minimalSteps: false, cutShort: true })).toBe(
      'shrunk from 13 steps / 7 preemptions to 4 steps / 1 preemption (318 runs in 1.2s) — not proven minimal: its 10.0s budget ran out (raise --shrink-time)',
    );
  });

  it('says why a proof is missing when the budget did not end it: runs that did not repeat their schedules', () => {
    expect(shrinkSentence({ ...base, minimal: false, minimalSteps: false, cutShort: false })).toMatch(
      /— not proven minimal: the search could not cover every schedule, as runs did not repeat their schedules$/,
    );
  });

  it('says "not shrunk" when nothing smaller was found, in English counts', () => {
    const same = { from: { steps: 1, preemptions: 1 }, to: { steps: 1, preemptions: 1 }, runs: 1, durationMs: 3 };
    expect(shrinkSentence({ ...same, minimal: true, minimalSteps: true, cutShort: false })).toBe(
      'not shrunk (1 run in 3ms) — minimal: no schedule with fewer preemptions fails this way, nor one with 1 preemption and fewer steps',
    );
    expect(shrinkSentence({ ...same, minimal: false, minimalSteps: false, cutShort: true })).toBe(
      'not shrunk (1 run in 3ms) — no smaller failing schedule was found, and none ruled out: the time budget ran out (raise --shrink-time)',
    );
  });

  it('reads a failure file saved before steps were searched: no claim about them', () => {
    expect(shrinkSentence({ from: base.from, to: base.to, minimal: true, cutShort: false, runs: 40 })).toBe(
      'shrunk from 13 steps / 7 preemptions to 4 steps / 1 preemption (40 runs) — fewest preemptions: no schedule with fewer fails this way; fewer steps were not searched',
    );
  });
});
