import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScenarioKey } from '../../src/core/shard.js';
import { assignShards, isShard, parseShard, scenariosOfShard } from '../../src/core/shard.js';

/** Distinct scenarios (file + name), as a run would load them. */
const scenarios = fc.uniqueArray(
  fc.record({ file: fc.constantFrom('a.scenario.ts', 'b.scenario.ts', 'lib/c.scenario.ts', 'd/e.scenario.mts'), name: fc.string({ maxLength: 12 }) }),
  { selector: (s) => `${s.file}\0${s.name}`, maxLength: 60 },
);
const counts = fc.integer({ min: 1, max: 12 });
const key = (s: ScenarioKey): string => `${s.file}\0${s.name}`;

describe('assignShards', () => {
  it('puts every scenario in exactly one shard, numbered 1..n', () => {
    fc.assert(
      fc.property(scenarios, counts, (all, n) => {
        const shards = assignShards(all, n);
        expect(shards).toHaveLength(all.length);
        for (const s of shards) expect(s >= 1 && s <= n && Number.isInteger(s)).toBe(true);
        // The shards' scenarios, taken one shard at a time, are all the scenarios, each once.
        const union = Array.from({ length: n }, (_, i) => scenariosOfShard(all, { index: i + 1, count: n })).flat();
        expect(union.map(key).sort()).toEqual(all.map(key).sort());
      }),
    );
  });

  it('depends only on the set of scenarios: the same split whatever the order they are found in', () => {
    fc.assert(
      fc.property(
        scenarios.chain((all) => fc.tuple(fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }))),
        counts,
        ([all, shuffled], n) => {
          const byKey = (list: readonly ScenarioKey[]): Map<string, number> => {
            const shards = assignShards(list, n);
            return new Map(list.map((s, i) => [key(s), shards[i]!]));
          };
          expect(byKey(shuffled)).toEqual(byKey(all));
          expect(assignShards(all, n)).toEqual(assignShards(all, n));
        },
      ),
    );
  });

  it('balances the shards: sizes differ by at most one', () => {
    fc.assert(
      fc.property(scenarios, counts, (all, n) => {
        const sizes = Array.from({ length: n }, () => 0);
        for (const s of assignShards(all, n)) sizes[s - 1]!++;
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('adding a scenario moves at most one other scenario per cut (n − 1 in all)', () => {
    fc.assert(
      fc.property(scenarios, fc.string({ maxLength: 12 }), counts, (all, name, n) => {
        const added = { file: 'new.scenario.ts', name };
        const before = assignShards(all, n);
        const after = assignShards([...all, added], n);
        const moved = all.filter((_, i) => before[i] !== after[i]).length;
        expect(moved).toBeLessThanOrEqual(n - 1);
      }),
    );
  });

  it('spreads the scenarios of one file over the shards (the hash, not the file, decides)', () => {
    const one = Array.from({ length: 40 }, (_, i) => ({ file: 'many.scenario.ts', name: `case ${i}` }));
    const shards = assignShards(one, 4);
    // Balanced as always; and not simply in the order given (that would be Playwright's split).
    expect(shards.filter((s) => s === 1)).toHaveLength(10);
    expect(shards.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, () => 1));
  });

  it('gives 0 or 1 scenario to each shard when there are fewer scenarios than shards', () => {
    const two = [
      { file: 'a.scenario.ts', name: 'x' },
      { file: 'a.scenario.ts', name: 'y' },
    ];
    const shards = assignShards(two, 5);
    expect(new Set(shards).size).toBe(2);
  });
});

describe('parseShard', () => {
  it('reads i/n with 1 ≤ i ≤ n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard(' 4 / 4 ')).toEqual({ index: 4, count: 4 });
  });

  it.each([
    ['0/4', /i goes from 1 to n/],
    ['5/4', /i goes from 1 to n/],
    ['1/0', /n goes from 1 to 1000/],
    ['1/1001', /n goes from 1 to 1000/],
    ['2', /--shard takes i\/n.*got "2"/],
    ['a/b', /got "a\/b"/],
    ['-1/4', /got "-1\/4"/],
    ['1.5/4', /got "1\.5\/4"/],
    ['', /got ""/],
  ])('rejects %j with a sentence that says how to write it', (text, message) => {
    const parsed = parseShard(text);
    expect(typeof parsed).toBe('string');
    expect(parsed).toMatch(message);
    expect(parsed).toMatch(/e\.g\. --shard 2\/4/);
  });

  it('accepts exactly what isShard accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2, max: 1003 }), fc.integer({ min: -2, max: 1003 }), (index, count) => {
        const parsed = parseShard(`${index}/${count}`);
        expect(typeof parsed !== 'string').toBe(isShard({ index, count }));
      }),
    );
  });
});
