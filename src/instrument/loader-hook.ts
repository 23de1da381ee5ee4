/**
 * A Node module customization hook (for `module.register`) that instruments user modules as
 * they load. It runs in Node's loader thread.
 *
 * Why it is registered before tsx: hooks run last-registered-first, so tsx's `load` calls
 * `nextLoad`, which reaches this hook, which reaches Node's default loader. This hook therefore
 * sees the raw TypeScript, and tsx transpiles what it returns (chaining the inline source map).
 */
import type { InitializeHook, LoadFnOutput, LoadHook } from 'node:module';
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shouldInstrument } from './instrument-policy.js';
import type { InstrumentPolicy } from './instrument-policy.js';
import { instrumentSource } from './transform.js';

/** What race-hunt passes as `data` to `module.register` for this hook. */
export interface LoaderHookData {
  readonly policy: InstrumentPolicy;
  /** The directory LOC strings are relative to (the user's working directory). */
  readonly cwd: string;
}

// Formats whose source is not JavaScript or TypeScript text.
const OPAQUE_FORMATS: ReadonlySet<string> = new Set(['builtin', 'json', 'wasm']);
const decoder = new TextDecoder();

let settings: LoaderHookData | undefined;

/** Receives the policy and working directory from `module.register(…, { data })`. */
export const initialize: InitializeHook<LoaderHookData> = (data) => {
  settings = data;
};

/**
 * Marks the error a load throws for a user module that Node would load as CommonJS; the
 * error crosses from the loader thread as its message only (`describe-load-error.ts` reads it).
 */
export const COMMONJS_MARK = 'race-hunt: CommonJS module:';

/** Loads a module through the rest of the chain, then instruments its source if the policy says so. */
export const load: LoadHook = async (url, context, nextLoad) => {
  const loaded = await nextLoad(url, context);
  // A user module in CommonJS (a .ts file where package.json has no "type": "module") comes
  // without a source: Node compiles it, with everything it requires, past these hooks. Its
  // awaits would not be scheduling points, races in it could not be found, and dfs would
  // call unexplored code verified. Refuse it rather than run it uninstrumented.
  const sourceless = loaded.source === undefined || loaded.source === null;
  if (settings !== undefined && sourceless && loaded.format === 'commonjs' && url.startsWith('file:') && shouldInstrument(url, settings.policy)) {
    throw new Error(`${COMMONJS_MARK} ${fileURLToPath(url)}`);
  }
  const instrumented = settings === undefined ? undefined : tryInstrument(url, loaded, settings);
  return instrumented === undefined ? loaded : { ...loaded, source: instrumented };
};

/** The instrumented text, or `undefined` to pass the module through: this must never throw on a user's file. */
function tryInstrument(url: string, loaded: LoadFnOutput, { policy, cwd }: LoaderHookData): string | undefined {
  const { source, format } = loaded;
  if (source === undefined || source === null) return undefined;
  if (typeof format === 'string' && OPAQUE_FORMATS.has(format)) return undefined;
  try {
    if (!shouldInstrument(url, policy)) return undefined;
    const filePath = fileURLToPath(url);
    const text = typeof source === 'string' ? source : decoder.decode(source);
    // CommonJS is a script whatever its extension (a `.js` file in a "type": "commonjs" package).
    const options = format === 'commonjs' ? { sourceType: 'script' as const } : {};
    return instrumentSource(text, filePath, displayPathOf(filePath, cwd), options)?.code;
  } catch {
    return undefined;
  }
}

/** The path LOC strings show: relative to `cwd` with `/` separators when inside it, else absolute. */
export function displayPathOf(filePath: string, cwd: string): string {
  const rel = relative(cwd, filePath);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return filePath;
  return rel.split(sep).join('/');
}
