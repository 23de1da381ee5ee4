import { describe, expect, it } from 'vitest';
import type { UncontrolledReport } from '../../src/core/uncontrolled.js';
import { uncontrolledAwaitLines, verificationCaveat } from '../../src/reporters/format-uncontrolled.js';
import { verificationLines } from '../../src/reporters/terminal.js';
import { scenarioReport } from '../support/reports.js';

const smithy = { package: '@smithy/core', folder: 'node_modules/@smithy/core', count: 41, sites: 7, included: false };
const mine = { file: 'src/foo.ts', count: 3, sites: 1, reason: 'the file was not instrumented: oxc-parser could not parse it: nope' };
const fs = { kind: 'FSReqCallback', name: 'file system', runs: 12 };
const dfs = { strategy: 'dfs', unit: 'preemptions', bound: 2, exhaustive: true, completedBound: 2, schedules: 12 };
const report = (u: Partial<UncontrolledReport>): UncontrolledReport => ({ awaits: [], realIo: [], censusRuns: 1, ...u });

describe('what ran outside race-hunt’s control, in words', () => {
  it('names a package and the option that explores it, and a user file with why', () => {
    expect(uncontrolledAwaitLines(report({ awaits: [mine, smithy] }))).toEqual([
      "3 awaits in src/foo.ts ran without race-hunt's control (the file was not instrumented: oxc-parser could not parse it: nope)",
      "41 awaits in node_modules/@smithy/core ran without race-hunt's control; add `--instrument @smithy/core` to explore them.",
    ]);
    const alias = { ...smithy, package: 'tiny-kv', folder: 'node_modules/kv-alias', count: 1 };
    expect(uncontrolledAwaitLines(report({ awaits: [alias] }))).toEqual([
      "1 await in node_modules/kv-alias (package tiny-kv) ran without race-hunt's control; add `--instrument tiny-kv` to explore them.",
    ]);
  });

  it('qualifies a verification with packages and real I/O', () => {
    expect(verificationCaveat(report({}))).toBe('');
    const lines = verificationLines(scenarioReport({ verification: [dfs], uncontrolled: report({ awaits: [smithy], realIo: [fs] }) }));
    expect(lines).toEqual([
      "verified by dfs: all 12 schedules with ≤ 2 preemptions satisfy the invariants — but 41 awaits in node_modules/@smithy/core ran without race-hunt's control, and real I/O ran (file system in 12 runs), whose results and timing come from outside race-hunt",
    ]);
  });

  it('never says "verified" while the user’s own code ran natively: says what was explored, and why it is no verification', () => {
    const dpor = { strategy: 'dpor', unit: 'traces', bound: 0, exhaustive: true, completedBound: 0, schedules: 4, unbounded: true as const };
    const lines = verificationLines(scenarioReport({ verification: [dfs, dpor], uncontrolled: report({ awaits: [mine, smithy] }) }));
    expect(lines.join('\n')).not.toMatch(/verified/);
    expect(lines).toEqual([
      "dfs: all 12 schedules with ≤ 2 preemptions satisfy the invariants, but this is no verification: code of yours ran without race-hunt's control (3 awaits in src/foo.ts)",
      "dpor: every schedule it explored satisfies the invariants (4 runs, one per class of schedules that differ only in the order of independent steps), but this is no verification: code of yours ran without race-hunt's control (3 awaits in src/foo.ts)",
    ]);
  });
});
