/**
 * A second Node load hook, registered *after* tsx so that it sees what tsx returns. When an ES
 * module imports a user's CommonJS TypeScript module, tsx hands Node that module's transpiled
 * source (with an inline source map) for Node to compile directly, past `Module.prototype._compile`:
 * this instruments that source. Runs in Node's loader thread.
 */
import type { InitializeHook, LoadHook } from 'node:module';
import { pathToFileURL } from 'node:url';
import { instrumentCommonJs } from './commonjs-hook.js';
import { shouldInstrument } from './instrument-policy.js';
import type { LoaderHookData } from './loader-hook.js';
import { OutcomeReporter } from './module-outcome.js';
import { filePathOf } from './file-path-of.js';

let settings: LoaderHookData | undefined;
let outcomes = OutcomeReporter.overPort(undefined);
const decoder = new TextDecoder();

/** Receives the policy, working directory and outcome port from `module.register(…, { data })`. */
export const initialize: InitializeHook<LoaderHookData> = (data) => {
  settings = data;
  outcomes = OutcomeReporter.overPort(data.port);
};

/** Instruments CommonJS sources that arrive with their text; everything else passes through. */
export const load: LoadHook = async (url, context, nextLoad) => {
  const loaded = await nextLoad(url, context);
  const { source, format } = loaded;
  if (settings === undefined || format !== 'commonjs' || source === undefined || source === null) return loaded;
  const filePath = filePathOf(url);
  if (filePath === undefined || !shouldInstrument(pathToFileURL(filePath).href, settings.policy)) return loaded;
  // Two kinds arrive here. At a plain URL (a `.cts` module an ES module imports), Node would
  // compile the source itself, and a `require` of an ES module in it (race-hunt itself) fails in
  // Node 20 ("not in cache"): without a source, Node hands the module to its CommonJS loader,
  // where tsx transpiles it and `commonjs-hook.ts` instruments it like any CommonJS module. At a
  // URL with tsx's query (a `.ts` module of a CommonJS package an ES module imports), tsx wraps
  // the module for that import and has set up its `require`: instrument the source in place.
  if (!url.includes('?')) return { format, shortCircuit: true };
  const code = typeof source === 'string' ? source : decoder.decode(source);
  const instrumented = instrumentCommonJs(code, filePath, settings.policy, settings.cwd, settings.track, outcomes);
  return instrumented === undefined ? loaded : { ...loaded, source: instrumented };
};

