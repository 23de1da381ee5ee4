import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as ApiModule from '../../src/api.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** Fixture scenario modules for runtime and end-to-end tests (copied into a sandbox to run). */
export const FIXTURE_DIR = `${ROOT}/test/fixtures/e2e`;

/** The compiled binary the end-to-end tests spawn. */
export const BIN = `${ROOT}/bin/race-hunt.js`;

/** Fails with a clear message when `npm run build` has not been run. */
export function assertBuilt(): void {
  if (!existsSync(`${ROOT}/dist/api.js`) || !existsSync(`${ROOT}/dist/cli/main.js`)) {
    throw new Error('dist/ is missing: run `npm run build` before the runtime and end-to-end tests');
  }
}

type Api = typeof ApiModule;

/**
 * Runs `fn` with V8's default stack formatting. vitest installs its own
 * `Error.prepareStackTrace`, which bypasses Node's source-map support, so stacks captured in a
 * vitest worker (timer locations, user frames) would point into the transpiled code rather
 * than the TypeScript source, unlike under the CLI.
 */
async function withNodeStacks<T>(fn: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  try {
    return await fn();
  } finally {
    if (saved !== undefined) Object.defineProperty(Error, 'prepareStackTrace', saved);
  }
}

/**
 * The compiled programmatic API, loaded by Node itself rather than through vitest's module
 * runner: vitest rewrites dynamic `import()` in the modules it transforms, which would load
 * scenario modules around race-hunt's instrumenting hook. `require()` of an ES module (Node
 * 20.19+) keeps the whole graph native, so race-hunt's own `import()` goes through the hook.
 * Runs default to `cwd` (a sandbox): race-hunt registers its hooks for one cwd per process.
 * They also default to `corpus: false`, so that a run explores rather than replaying the
 * failures earlier tests saved (and saves none: pass `corpus: true` to test the corpus).
 */
export function distApi(cwd: string): Pick<Api, 'run' | 'replay'> {
  assertBuilt();
  const require = createRequire(import.meta.url);
  const api = require(`${ROOT}/dist/api.js`) as Api;
  return {
    run: (paths, options = {}) => withNodeStacks(() => api.run(paths, { cwd, corpus: false, ...options })),
    replay: (file, request) => withNodeStacks(() => api.replay(file, { cwd, ...request })),
  };
}
