import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_STEPS, replayCommand, shellQuote } from '../../src/core/replay-command.js';

/** What a POSIX shell makes of a command line: its words, as `printf '%s\0'` prints them. */
function shellWords(commandLine: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const defaults = { maxSteps: DEFAULT_MAX_STEPS, timers: 'fuzz' as const, instrument: [] };

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('scenarios/a.scenario.ts')).toBe('scenarios/a.scenario.ts');
    expect(shellQuote('rh1.AbC-_9')).toBe('rh1.AbC-_9');
    expect(shellQuote('lost update')).toBe(`'lost update'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe(`''`);
    expect(shellQuote('$HOME')).toBe(`'$HOME'`);
  });

  it('round-trips every string through a real POSIX shell', () => {
    // One shell for many samples: the property is checked on a batch of arbitrary words.
    const words = fc.sample(fc.string({ unit: fc.oneof(fc.constantFrom(...` '"\\$\`!*?;&|<>(){}[]#~\t\n%=:,./-_`.split('')), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })) }).filter((w) => !w.includes('\0')), {
      numRuns: 300,
      seed: 42,
    });
    words.push('', "'", "''", 'a b', '-n', '--flag=x y', 'line\nbreak', 'ünïcødé ✓');
    expect(shellWords(words.map(shellQuote).join(' '))).toEqual(words);
  });
});

describe('replayCommand', () => {
  it('names the file, scenario and schedule, with no flags for default options', () => {
    expect(replayCommand('s/a.scenario.ts', 'lost update', 'rh1.AAA', defaults)).toBe(
      `npx race-hunt replay s/a.scenario.ts --scenario 'lost update' --schedule rh1.AAA`,
    );
  });

  it('carries every option that changes what an execution does', () => {
    const command = replayCommand('a.ts', 'x', 'rh1.AAA', { maxSteps: 50, timers: 'strict', instrument: ['async-mutex', '@acme/*'] });
    expect(shellWords(command)).toEqual([
      'npx', 'race-hunt', 'replay', 'a.ts', '--scenario', 'x', '--schedule', 'rh1.AAA',
      '--max-steps', '50', '--timers', 'strict', '--instrument', 'async-mutex', '--instrument', '@acme/*',
    ]);
  });

  it('survives hostile file and scenario names when pasted into a shell', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => !s.includes('\0')), fc.string({ minLength: 1 }).filter((s) => !s.includes('\0')), (file, name) => {
        const command = replayCommand(file, name, 'rh1.AAA', defaults);
        // Only the shell can tell; parse with a small reference instead of spawning per case.
        expect(posixSplit(command)).toEqual(['npx', 'race-hunt', 'replay', file, '--scenario', name, '--schedule', 'rh1.AAA']);
      }),
    );
  });
});

/** Splits a command line made of plain words and single-quoted strings (what shellQuote emits). */
function posixSplit(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + line[++i]!;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
