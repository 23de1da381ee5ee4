import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceHunt } from '../support/cli.js';
import { assertBuilt } from '../support/dist-api.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// Tracking must not change what the code does: a getter that counts its runs runs as often under
// `--strategy dpor` as without it, whatever form reads it (member calls before and after awaits,
// optional and computed calls, tagged templates, compound assignments, promise calls, yield*,
// await using).
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
});
afterAll(() => sandbox.remove());

describe('dpor never evaluates a getter twice', () => {
  for (const strategy of ['dpor', 'dfs']) {
    it(`every getter runs as often as the code reads it (--strategy ${strategy})`, async () => {
      const exit = await raceHunt(sandbox.dir, ['run', 'dpor/getters.scenario.ts', '--strategy', strategy, '--no-corpus']);
      expect(exit.code, exit.stdout + exit.stderr).toBe(0);
      expect(exit.stdout).toContain(`verified by ${strategy}`);
    });
  }
});
