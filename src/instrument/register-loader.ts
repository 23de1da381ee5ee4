import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { register as registerTsxCommonJs } from 'tsx/cjs/api';
import { register as registerTsx } from 'tsx/esm/api';
import { installCommonJsHook } from './commonjs-hook.js';
import type { InstrumentPolicy } from './instrument-policy.js';
import { inIncludedPackage } from './instrument-policy.js';
import { loadedModules } from './loaded-modules.js';
import type { LoaderHookData } from './loader-hook.js';
import { OWN_ROOT } from '../core/own-root.js';
import { activeInstrumentation, noteInstrumentation } from './active-instrumentation.js';

/** race-hunt's own code (src/ or dist/): never instrumented, even outside node_modules. */

let registered: string | undefined;

/**
 * Whether a file under `node_modules` runs instrumented in this process (its package was
 * named with `--instrument`): its frames are code the user asked to see, as their own is.
 */
export function isInstrumentedDependency(filePath: string): boolean {
  const { include } = activeInstrumentation();
  return include.length > 0 && inIncludedPackage(filePath, include);
}

/** Thrown when a second registration asks for a different instrumentation policy. */
export class LoaderAlreadyRegistered extends Error {
  override readonly name = 'LoaderAlreadyRegistered';
}

/**
 * Registers the instrumenting load hook and then tsx, in that order: hooks run
 * last-registered-first, so tsx transpiles what our hook returns and our hook sees the raw
 * TypeScript (Node runs hooks last-registered first). CommonJS modules compile past those hooks: tsx's `require` hook
 * transpiles them and `installCommonJsHook` instruments what it compiles. Hooks cannot be
 * unregistered, so this happens once per process.
 */
export function registerLoader(include: readonly string[], cwd: string, track = false): void {
  const policy: InstrumentPolicy = { include: [...include], excludeRoots: [OWN_ROOT] };
  const key = JSON.stringify({ policy, cwd });
  if (registered !== undefined) {
    // Tracking or not, modules load once per process: a later `dpor` run over code loaded
    // without tracking sees every step as opaque (run-execution checks), which stays sound.
    if (registered !== key) {
      throw new LoaderAlreadyRegistered('race-hunt can instrument with one set of --instrument patterns per process');
    }
    return;
  }
  // Each hook tells the main thread what it loaded on a port of its own (a port moves once).
  const hookData = (): LoaderHookData => {
    const { port1, port2 } = new MessageChannel();
    loadedModules.listen(port1);
    return { policy, cwd, track, port: port2 };
  };
  const data = hookData();
  register(new URL('./loader-hook.js', import.meta.url), { data, transferList: [data.port!] });
  registerTsx();
  // After tsx: instruments the CommonJS sources tsx returns for an ES module's import.
  const sourceData = hookData();
  register(new URL('./commonjs-source-hook.js', import.meta.url), { data: sourceData, transferList: [sourceData.port!] });
  registerTsxCommonJs();
  installCommonJsHook(policy, cwd, track, loadedModules.reporter);
  loadedModules.markOwnPackages();
  registered = key;
  noteInstrumentation('module hooks', policy.include, track);
}
