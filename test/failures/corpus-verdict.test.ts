import { describe, expect, it } from 'vitest';
import { corpusReplayOptions, judgeReplay, unreadableWarning, unverifiedReason } from '../../src/failures/corpus-verdict.js';

describe('judging the replay of a saved failure', () => {
  it('as saved: a failure still fails, a pass is fixed, a divergence is stale; a setup error is not judged', () => {
    expect(judgeReplay('violation', true)).toBe('failing');
    expect(judgeReplay('pass', true)).toBe('fixed');
    expect(judgeReplay('diverged', true)).toBe('stale');
    expect(judgeReplay('error', true)).toBe('error');
  });

  it('not as saved (other --instrument patterns): a failure is still a failure, anything else says nothing', () => {
    expect(judgeReplay('violation', false)).toBe('failing');
    expect(judgeReplay('pass', false)).toBe('unverified');
    expect(judgeReplay('diverged', false)).toBe('unverified');
  });

  it('replays with its own --max-steps and --timers, and the patterns the process was loaded with', () => {
    expect(corpusReplayOptions({ maxSteps: 40, timers: 'strict', instrument: ['a'] }, { maxSteps: 10_000, timers: 'fuzz', instrument: ['b'] })).toEqual({
      maxSteps: 40,
      timers: 'strict',
      instrument: ['b'],
    });
  });

  it('says why an unverified one is neither fixed nor stale, and how to check it', () => {
    expect(unverifiedReason('.race-hunt/failures/x.json', ['@smithy/core'], [], 'diverged')).toBe(
      'it was explored with --instrument @smithy/core, but this run instruments no package (race-hunt instruments with one set of patterns per process), so it could not be replayed as saved; replayed as this run instruments, it no longer followed its schedule. Check it as saved with: npx race-hunt replay .race-hunt/failures/x.json',
    );
    expect(unverifiedReason('x.json', [], ['a', 'b'], 'pass')).toMatch(/^it was explored without --instrument, but this run instruments `a`, `b` .*; replayed as this run instruments, it passed\./);
  });

  it('warns of an unusable file in one line, with what to do', () => {
    expect(unreadableWarning('.race-hunt/failures/x.json', 'it is not valid JSON')).toBe(
      '.race-hunt/failures/x.json is not a usable failure file (it is not valid JSON); skipped. Delete it: running the scenario again saves any failure it finds.',
    );
  });
});
