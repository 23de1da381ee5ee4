import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { raceHunt, traceLines } from '../support/cli.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// A timer step names where the timer was set: in a dependency instrumented with --instrument,
// that package's own setTimeout; in one that is not, the user's call into the package.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
  sandbox.write('node_modules/timer-lib/package.json', '{ "name": "timer-lib", "type": "module", "main": "index.js" }\n');
  sandbox.write(
    'node_modules/timer-lib/index.js',
    'export async function slowBump(s) {\n  const v = s.n;\n  await new Promise((resolve) => setTimeout(resolve, 10));\n  s.n = v + 1;\n}\n',
  );
});
afterAll(() => sandbox.remove());

const timerSteps = (stdout: string): string[] => traceLines(stdout).filter((line) => line.includes('timer fires'));

describe('the location of a timer step', () => {
  // Was a bug: with --instrument timer-lib, the timer was said to be set at the user's
  // `slowBump(s)` call (node_modules frames were always skipped).
  it('in a package named with --instrument: the package’s own setTimeout line', async () => {
    const result = await raceHunt(sandbox.dir, ['run', 'lib-timers.scenario.ts', '--seed', '1', '--no-corpus', '--instrument', 'timer-lib']);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const steps = timerSteps(result.stdout);
    expect(steps.length, result.stdout).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step).toMatch(/timer fires at \+\d+ms \(set at node_modules\/timer-lib\/index\.js:3:34\) +│ await new Promise\(\(resolve\) => setTimeout\(resolve, 10\)\);$/);
    }
  });

  it('in a package that is not instrumented: the user’s call into it', async () => {
    const result = await raceHunt(sandbox.dir, ['run', 'lib-timers.scenario.ts', '--seed', '1', '--no-corpus']);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const steps = timerSteps(result.stdout);
    expect(steps.length, result.stdout).toBeGreaterThan(0);
    for (const step of steps) expect(step).toMatch(/timer fires at \+\d+ms \(set at lib-timers\.scenario\.ts:7:\d+\) +│ tasks: \{ a: /);
  });
});
