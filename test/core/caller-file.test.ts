import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { callerFile } from '../../src/core/caller-file.js';
import { scenario } from '../../src/core/scenario.js';

function declared(): string | undefined {
  return callerFile(declared);
}

describe('callerFile', () => {
  it("names the file of the caller of the function it is given, and leaves V8's stack formatting as it was", () => {
    const before = Error.prepareStackTrace;
    expect(declared()).toBe(fileURLToPath(import.meta.url));
    expect(Error.prepareStackTrace).toBe(before);
    expect(typeof new Error('x').stack).toBe('string');
  });

  it('is where scenario() records the file that declared the scenario', () => {
    expect(scenario('here', { tasks: { a: () => undefined } }).definedIn).toBe(fileURLToPath(import.meta.url));
  });
});
