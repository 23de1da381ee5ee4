import { afterAll, beforeAll } from 'vitest';
import { assertBuilt } from './dist-api.js';
import { raceHunt } from './cli.js';
import type { Exit } from './cli.js';
import type { Sandbox } from './sandbox.js';
import { makeSandbox } from './sandbox.js';

/**
 * For an end-to-end test file: checks the build and makes a sandbox of the fixtures before its
 * tests, removes it after them; `race(...)` runs the real binary in it.
 */
export function e2eSandbox(): { readonly sandbox: () => Sandbox; race(...args: string[]): Promise<Exit> } {
  let sandbox: Sandbox | undefined;
  beforeAll(() => {
    assertBuilt();
    sandbox = makeSandbox();
  });
  afterAll(() => sandbox?.remove());
  const current = (): Sandbox => {
    if (sandbox === undefined) throw new Error('the sandbox exists only while the tests run');
    return sandbox;
  };
  return { sandbox: current, race: (...args) => raceHunt(current().dir, args) };
}
