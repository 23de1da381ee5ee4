import { fileURLToPath, pathToFileURL } from 'node:url';
import { displayPath } from '../core/display-path.js';
import { OWN_ROOT } from '../core/own-root.js';
import { decideInstrument } from '../instrument/instrument-policy.js';
import type { InstrumentPolicy } from '../instrument/instrument-policy.js';
import { RUNTIME_GLOBALS } from '../instrument/runtime-names.js';
import { instrumentSource } from '../instrument/transform.js';
import type { VitestSettings } from './vitest-settings.js';
import { SETTINGS_VARIABLE } from './vitest-settings.js';
import { escapeRegExp } from '../core/escape-regexp.js';

export interface RaceHuntPluginOptions {
  /**
   * Packages under node_modules to instrument as well, as `--instrument` takes them
   * (`async-mutex`, `@acme/*`): vitest is told to load them through Vite (`server.deps.inline`),
   * matched by the folder they are installed in.
   */
  readonly instrument?: readonly string[];
  /** Also report memory accesses, for `strategy: 'dpor'` (slower; every file is rewritten). Default false. */
  readonly track?: boolean;
  /**
   * `regression` (default): a scenario test replays its saved failures, then explores a short
   * budget with a fixed seed. `explore`: the full budget with a fresh seed (nightly jobs). The
   * environment variable RACE_HUNT_MODE overrides it.
   */
  readonly mode?: 'regression' | 'explore';
}

/** The part of Vite's plugin interface this plugin fills (race-hunt depends on neither Vite nor vitest). */
export interface RaceHuntPlugin {
  readonly name: 'race-hunt';
  readonly enforce: 'pre';
  config(): { test: Record<string, unknown> };
  transform(code: string, id: string): { code: string; map: string } | undefined;
}

/** Where each vitest worker starts race-hunt: its runtime's entry points, and the matchers. */
const SETUP_FILE = fileURLToPath(new URL('./setup.js', import.meta.url));

/**
 * race-hunt's Vite plugin for vitest: instruments every `await` of the test files and of the
 * user's own modules as they are transformed (the same instrumenter, parser and rules as
 * `race-hunt run`'s module hooks: everything outside node_modules, and the packages `instrument`
 * names), registers the `toHaveNoRaces` and `toFindRace` matchers, and keeps race-hunt itself
 * loaded by Node even when it is linked (npm link, workspaces).
 *
 * Runs before Vite's own TypeScript transform (`enforce: 'pre'`), as race-hunt's module hook runs
 * before tsx: it sees the code as written, so traces name the lines of the file on disk.
 */
export function raceHunt(options: RaceHuntPluginOptions = {}): RaceHuntPlugin {
  const include = [...(options.instrument ?? [])];
  const track = options.track ?? false;
  const policy: InstrumentPolicy = { include, excludeRoots: [OWN_ROOT] };
  const cwd = process.cwd();
  const settings: VitestSettings = { include, track, mode: options.mode ?? 'regression' };
  return {
    name: 'race-hunt',
    enforce: 'pre',
    config() {
      return {
        test: {
          setupFiles: [SETUP_FILE],
          env: { [SETTINGS_VARIABLE]: JSON.stringify(settings) },
          server: { deps: { inline: include.map(installedFolder), external: [ownFilesButSetup()] } },
        },
      };
    },
    transform(code, id) {
      // Vite's ids: a file path, with a query for some imports (`?raw`), or a virtual module (`\0…`).
      if (id.startsWith('\0') || id.includes('?')) return undefined;
      const decision = decideInstrument(pathToFileURL(id).href, policy);
      if (!decision.instrument) return undefined;
      const out = instrumentSource(code, id, displayPath(id, cwd), { track, separateMap: true });
      if (out === undefined) return undefined;
      // Its awaits are race-hunt's: the census of native awaits in the test worker must know.
      return { code: `${out.code}\n;globalThis.${RUNTIME_GLOBALS.loaded}?.(${JSON.stringify(id)});\n`, map: out.map! };
    },
  };
}

/** Matches the files of a package installed in a folder an `--instrument` pattern names. */
function installedFolder(pattern: string): RegExp {
  const folder = pattern.split('*').map(escapeRegExp).join('[^/]*');
  return new RegExp(`/node_modules/${folder}/`);
}

/**
 * race-hunt's own files, but the setup file: Node loads them, as it loads an installed
 * race-hunt, also when it is linked (outside node_modules, vitest would run them through Vite's
 * transforms); the setup file goes through Vite, so that its `import 'vitest'` is the project's.
 */
function ownFilesButSetup(): RegExp {
  return new RegExp(`^${escapeRegExp(OWN_ROOT)}/(?!vitest/setup\\.js$)`);
}
