import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { raceHunt } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// --shard i/n through the real binary: the shards of a run explore every scenario exactly once
// between them, the same split in every process.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
});
afterAll(() => sandbox.remove());
const race = (...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, args);

interface Document {
  scenarios: { file: string; name: string; status: string; error?: string; runs?: number; exhaustive?: boolean; schedules?: number; part?: unknown }[];
  shard?: { index: number; count: number; scenarios: number; total: number };
}
const documentOf = (exit: Exit): Document => JSON.parse(exit.stdout) as Document;
const explored = (doc: Document): string[] => doc.scenarios.filter((s) => s.status !== 'error').map((s) => `${s.file} › ${s.name}`);

// Seven scenarios in four files, one of which fails, plus a file that cannot be loaded (mixed/c-broken).
const PATHS = ['multi.scenario.ts', 'pass.scenario.ts', 'lost-update.scenario.ts', 'mixed'];
const OPTIONS = ['--runs', '20', '--seed', '5', '--no-shrink', '--no-corpus', '--json'];

describe('race-hunt run --shard', () => {
  it('splits the scenarios so that the shards together explore each exactly once', async () => {
    const whole = documentOf(await race('run', ...PATHS, ...OPTIONS));
    const all = explored(whole).sort();
    expect(all).toHaveLength(7);
    expect(whole.shard).toBeUndefined();

    const shards = await Promise.all([1, 2, 3].map((i) => race('run', ...PATHS, ...OPTIONS, '--shard', `${i}/3`)));
    const docs = shards.map(documentOf);
    const union = docs.flatMap(explored);
    expect(union.sort()).toEqual(all);
    docs.forEach((doc, i) => {
      expect(doc.shard).toEqual({ index: i + 1, count: 3, scenarios: explored(doc).length, total: 7 });
      // Balanced: 7 scenarios over 3 shards is 3, 2, 2 in some order.
      expect(explored(doc).length).toBeGreaterThanOrEqual(2);
      // Which scenarios a broken file holds is unknown: every shard reports it, as the whole run does.
      expect(doc.scenarios.filter((s) => s.status === 'error')).toEqual(whole.scenarios.filter((s) => s.status === 'error'));
    });
    expect(whole.scenarios.filter((s) => s.status === 'error').map((s) => [s.file, s.error])).toEqual([
      ['mixed/c-broken.scenario.ts', expect.stringMatching(/^could not load mixed\/c-broken\.scenario\.ts: importing it threw mixed: broken at import/)],
    ]);
    // So every shard exits 2, the error outranking the lost update of one of them.
    expect(shards.map((s) => s.code)).toEqual([2, 2, 2]);

    // The same split in another process.
    const again = documentOf(await race('run', ...PATHS, ...OPTIONS, '--shard', '2/3'));
    expect(explored(again)).toEqual(explored(docs[1]!));
  });

  it('says which shard and how many of the scenarios it explored; one with none exits 0', async () => {
    const files = ['multi.scenario.ts', 'pass.scenario.ts'];
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => race('run', ...files, '--runs', '5', '--seed', '5', '--shard', `${i}/5`)));
    for (const [i, result] of results.entries()) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^shard ${i + 1}/5: [01] of 4 scenarios`, 'm'));
    }
    const empty = results.find((r) => /: 0 of 4 scenarios/.test(r.stdout))!;
    expect(empty.stdout).toMatch(/^shard \d\/5: 0 of 4 scenarios \(nothing to explore in this shard; the other shards have them all\)\n0 scenarios — 0 passed, 0 failed {2}\(seed 5\)\n$/m);
    const counts = results.map((r) => Number(/^shard \d\/5: (\d) of 4/m.exec(r.stdout)![1]));
    expect(counts.reduce((a, b) => a + b)).toBe(4);
  });

  it('shards the scenarios --scenario selects', async () => {
    const docs = await Promise.all([1, 2].map(async (i) => documentOf(await race('run', 'multi.scenario.ts', '--scenario', 'alpha', '--runs', '5', '--json', '--shard', `${i}/2`))));
    expect(docs.map((d) => d.shard!.total)).toEqual([1, 1]);
    // One scenario is the whole job: every shard explores it, and they split its runs.
    expect(docs.flatMap(explored)).toEqual(['multi.scenario.ts › alpha', 'multi.scenario.ts › alpha']);
    expect(docs.map((d) => (d.shard as { runsSplit?: boolean }).runsSplit)).toEqual([true, true]);
  });

  it('splits a lone scenario’s dfs or delay search into disjoint parts, one per shard, that verify it between them', async () => {
    const args = ['run', 'many-schedules.scenario.ts', '--runs', '5000', '--no-corpus'];
    for (const strategy of ['dfs', 'delay']) {
      const whole = documentOf(await race(...args, '--strategy', strategy, '--json')).scenarios[0]!;
      expect(whole.exhaustive, strategy).toBe(true);
      const shards = await Promise.all([1, 2, 3].map((i) => race(...args, '--strategy', strategy, '--shard', `${i}/3`, '--json')));
      const parts = shards.map((exit) => {
        expect(exit.code, `${strategy}: ${exit.stderr}`).toBe(0);
        const doc = documentOf(exit);
        expect((doc.shard as { runsSplit?: boolean }).runsSplit).toBe(true);
        return doc.scenarios[0]!;
      });
      // Every schedule here makes enough decisions to belong to one part: the parts' counts add up.
      expect(parts.map((p) => [p.exhaustive, p.part]), strategy).toEqual([1, 2, 3].map((index) => [true, { index, count: 3 }]));
      expect(parts.reduce((sum, p) => sum + p.schedules!, 0), strategy).toBe(whole.schedules);
      expect(Math.max(...parts.map((p) => p.schedules!)), strategy).toBeLessThan(whole.schedules!);
    }
    const terminal = await race(...args, '--strategy', 'dfs', '--shard', '2/3');
    expect(terminal.stdout).toMatch(
      /verified by dfs\(preemptions≤2\), part 2 of 3 \(the shards split the schedules\): all \d+ schedules of this part with ≤ 2 preemptions satisfy the invariants; the other shards verify the rest/,
    );
  });

  it('gives a lone scenario searched by dpor to one shard whole: the points it adds depend on races found anywhere', async () => {
    const args = ['run', 'many-schedules.scenario.ts', '--strategy', 'dpor', '--runs', '200', '--no-corpus', '--json'];
    const docs = (await Promise.all([1, 2].map((i) => race(...args, '--shard', `${i}/2`)))).map(documentOf);
    expect(docs.flatMap(explored)).toEqual(['many-schedules.scenario.ts › three atomic counters']);
    expect(docs.map((d) => (d.shard as { runsSplit?: boolean }).runsSplit)).toEqual([undefined, undefined]);
    const whole = documentOf(await race(...args));
    expect(docs.flatMap((d) => d.scenarios).map((s) => [s.runs, s.exhaustive])).toEqual(whole.scenarios.map((s) => [s.runs, s.exhaustive]));
  });

  it('rejects a shard that is not i/n with 1 ≤ i ≤ n', async () => {
    const result = await race('run', 'pass.scenario.ts', '--shard', '0/4');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: option '--shard <i\/n>' argument '0\/4' is invalid\. --shard takes i\/n, this job's number i from 1 to n jobs, e\.g\. --shard 2\/4; got "0\/4" \(i goes from 1 to n\)\.$/m);
  });
});
