import { describe, expect, it } from 'vitest';
import type { ReplayContext } from '../../src/failures/divergence-cause.js';
import { divergenceCauses, instrumentDiffers, likelyCause } from '../../src/failures/divergence-cause.js';

const saved: ReplayContext = {
  options: { maxSteps: 10_000, timers: 'fuzz', instrument: [] },
  sources: { 'a.scenario.ts': '1111', 'lib/counter.ts': '2222' },
  raceHunt: '0.1.0',
  node: 'v20.19.0',
};

describe('why a saved failure no longer follows its schedule', () => {
  it('nothing recorded changed: says so, and what is left', () => {
    expect(divergenceCauses(saved, saved)).toEqual([]);
    expect(likelyCause(saved, saved)).toBe(
      'its options, the files its trace passes through, race-hunt and Node are all as they were: a file those import may have changed, or the scenario is not deterministic (real I/O, or randomness race-hunt does not control)',
    );
    const { sources: _sources, ...old } = saved;
    expect(likelyCause(old, saved)).toMatch(/^its options, race-hunt and Node are as they were \(the file predates source hashes, so a changed file cannot be named\): /);
  });

  it('names the --instrument patterns it was explored with and the replay was not', () => {
    const instrumented = { ...saved, options: { ...saved.options, instrument: ['@smithy/core'] } };
    expect(likelyCause(instrumented, saved)).toBe('likely cause: it was explored with --instrument @smithy/core; this replay was not');
    expect(divergenceCauses(saved, instrumented)).toEqual(['it was explored with no --instrument; this replay with --instrument @smithy/core']);
    expect(instrumentDiffers(['a', 'b'], ['b', 'a', 'a'])).toBe(false);
    expect(instrumentDiffers(['a'], ['a', 'b'])).toBe(true);
  });

  it('names the timers mode and step limit it was saved with', () => {
    const strict = { ...saved, options: { ...saved.options, timers: 'strict' as const, maxSteps: 40 } };
    expect(divergenceCauses(strict, saved)).toEqual([
      'it was saved with --timers strict; this replay ran with --timers fuzz',
      'it was saved with --max-steps 40; this replay ran with --max-steps 10000',
    ]);
  });

  it('names the files that changed or are gone since it was saved', () => {
    expect(likelyCause(saved, { ...saved, sources: { 'a.scenario.ts': '1111', 'lib/counter.ts': '3333' } })).toBe('likely cause: lib/counter.ts changed since it was saved');
    expect(divergenceCauses(saved, { ...saved, sources: { 'a.scenario.ts': '9999', 'lib/counter.ts': '3333' } })).toEqual(['a.scenario.ts and lib/counter.ts changed since it was saved']);
    expect(divergenceCauses(saved, { ...saved, sources: { 'a.scenario.ts': '1111' } })).toEqual(['lib/counter.ts is gone']);
  });

  it('names another race-hunt or Node, after what is more likely', () => {
    const causes = divergenceCauses(saved, { ...saved, sources: { 'a.scenario.ts': '0', 'lib/counter.ts': '2222' }, raceHunt: '0.2.0', node: 'v22.1.0' });
    expect(causes).toEqual(['a.scenario.ts changed since it was saved', 'it was saved by race-hunt 0.1.0; this is 0.2.0', 'it was saved under Node v20.19.0; this is v22.1.0']);
  });
});
