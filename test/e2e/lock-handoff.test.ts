import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { raceHunt, traceLines } from '../support/cli.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// A lock that keeps its waiters as callbacks (as async-lock does) runs the next waiter's
// critical section from inside the releasing task's step. Each step must still be labelled
// with the task whose code it resumes.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
});
afterAll(() => sandbox.remove());

/** "task location" for each resume step of a printed trace. */
function resumes(stdout: string): string[] {
  return traceLines(stdout)
    .map((line) => /^ {4} *\d+ [ ⇢] (\S+) +(\S+:\d+:\d+) +│/.exec(line))
    .filter((match) => match !== null)
    .map((match) => `${match[1]} ${match[2]}`);
}

describe('task labels across a callback-queue lock hand-off', () => {
  // Was a bug: the steps of h2's critical section were labelled h1 (its function was called by
  // h1's code, and ran as h1), so "h1 …:9:5" appeared twice and h2 never reached it.
  it('every await of each task’s critical section is that task’s, whatever the schedule', async () => {
    const seeds = ['1', '2', '3', '4'];
    const results = await Promise.all(
      seeds.map((seed) => raceHunt(sandbox.dir, ['run', 'lock-handoff.scenario.ts', '--scenario', 'callback-queue lock hand-off', '--seed', seed, '--no-corpus', '--no-shrink'])),
    );
    for (const result of results) {
      expect(result.code, result.stdout + result.stderr).toBe(1);
      // The lock works: one critical section, then the other (either may go first).
      expect(result.stdout).toMatch(/invariant violation: done: (h\d) in, \1 mid, \1 out, (?!\1)(h\d) in, \2 mid, \2 out\n/);
      const steps = resumes(result.stdout);
      const critical = steps.filter((step) => / lock-handoff\.scenario\.ts:(9|11):5$/.test(step)).sort();
      expect(critical, result.stdout).toEqual([
        'h1 lock-handoff.scenario.ts:11:5',
        'h1 lock-handoff.scenario.ts:9:5',
        'h2 lock-handoff.scenario.ts:11:5',
        'h2 lock-handoff.scenario.ts:9:5',
      ]);
    }
  });

  it('keeps the names that bindings give the async functions a task makes', async () => {
    const result = await raceHunt(sandbox.dir, ['run', 'lock-handoff.scenario.ts', '--scenario', 'callback names', '--no-corpus']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });
});
