import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceHunt } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import { assertBuilt, ROOT } from '../support/dist-api.js';
import { nodeOracle as printedByNode } from '../support/oracle.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// Fidelity: suspension points without an `await` of their own in the source. Each case is code
// under test (`<case>.lib.ts`), a plain Node script that drives it into the bad order
// (`<case>.node.mjs`: Node is the oracle — it shows the bug is real), and a scenario over the same
// code, which the real binary must find by default, and which neither dfs nor dpor may call verified.
//
// The Node scripts run with tsx, which only strips the types of the code under test (and, for
// `await using`, which Node 20 lacks, lowers it as it does when race-hunt runs the scenario).
const CASES_DIR = join(ROOT, 'test', 'fidelity', 'suspension-points');

let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  // A scratch project holding the cases, where `race-hunt` resolves to this repository: the
  // failure files race-hunt saves land there.
  sandbox = makeSandbox(CASES_DIR);
});
afterAll(() => sandbox.remove());

/** Runs a case's Node script (from the repository, where tsx resolves) and parses what it prints. */
async function nodeOracle(script: string): Promise<Record<string, unknown>> {
  return JSON.parse(await printedByNode(join(CASES_DIR, script), ROOT, ['--import', 'tsx'])) as Record<string, unknown>;
}

const run = (...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, ['run', ...args, '--no-corpus']);

interface Case {
  readonly name: string;
  /** What the Node script must print: the bad state it drove the code into. */
  readonly node: Record<string, unknown>;
  /** The violation message race-hunt must report (either update may be the one lost). */
  readonly violation: RegExp;
}

const CASES: readonly Case[] = [
  { name: 'then', node: { v: 1, events: ['load 0', 'load 0', 'save 1', 'save 1'] }, violation: /v is 1, expected 2/ },
  { name: 'catch', node: { balance: 7 }, violation: /balance is 7, expected 4/ },
  { name: 'finally', node: { completed: 1 }, violation: /completed is 1, expected 2/ },
  { name: 'await-using', node: { total: 5, open: 0 }, violation: /total is (5|100), expected 105/ },
  { name: 'yield-star', node: { deliveries: 1 }, violation: /deliveries is 1, expected 2/ },
  { name: 'for-await', node: { completed: 1, bytes: 5 }, violation: /completed is 1, expected 2/ },
  { name: 'library-then', node: { v: 1 }, violation: /v is 1, expected 2/ },
];

for (const { name, node, violation } of CASES) {
  describe(`${name}: a lost update at the suspension point`, () => {
    const scenarioFile = `${name}.scenario.ts`;

    it('happens in plain Node', async () => {
      expect(await nodeOracle(`${name}.node.mjs`)).toMatchObject(node);
    });

    it('is found by the default run', async () => {
      const exit = await run(scenarioFile);
      expect(exit.code, exit.stdout + exit.stderr).toBe(1);
      expect(exit.stdout).toMatch(new RegExp(`invariant violation: ${violation.source}`));
    });

    for (const strategy of ['dfs', 'dpor']) {
      it(`is not called verified by --strategy ${strategy}`, async () => {
        const exit = await run(scenarioFile, '--strategy', strategy, '--no-shrink');
        expect(exit.code, exit.stdout + exit.stderr).toBe(1);
        expect(exit.stdout).not.toContain('verified');
        expect(exit.stdout).toContain(`found in run`);
        expect(exit.stdout).toContain(`by ${strategy}`);
        expect(exit.stdout).toMatch(violation);
      });
    }
  });
}

describe('then: a thenable that calls back synchronously', () => {
  it('keeps its meaning: the callback runs during then, and then returns its result', async () => {
    const exit = await run('library-then-sync.scenario.ts', '--runs', '50');
    expect(exit.code, exit.stdout + exit.stderr).toBe(0);
  });
});

describe('then: callbacks on one promise, in registration order (FIFO)', () => {
  it('Node runs x\u2019s and y\u2019s callbacks back to back, in the order they were registered', async () => {
    expect(await nodeOracle('fifo.node.mjs')).toEqual({ registered: ['x', 'y'], ran: ['x', 'y', "x's microtask", "y's microtask"] });
  });

  // Depends on the scheduler's FIFO change (the lead's): continuations that wait on the same
  // promise resume in the order they began waiting, keyed by that promise (`gate`'s `orderKey`,
  // which the promise-call gate passes as the receiver), with nothing of the first one's between
  // them. Until then race-hunt may run y's callback first, or x's microtask between the two:
  // schedules Node never produces.
  it('race-hunt finds no violation in any schedule (dfs verifies it)', async () => {
    const exit = await run('fifo.scenario.ts', '--strategy', 'dfs');
    expect(exit.code, exit.stdout + exit.stderr).toBe(0);
    expect(exit.stdout).toContain('verified by dfs');
  });
});
