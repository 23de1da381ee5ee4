/**
 * A Node module customization hook (for `module.register`) that instruments user modules as
 * they load. It runs in Node's loader thread.
 *
 * Why it is registered before tsx: hooks run last-registered-first, so tsx's `load` calls
 * `nextLoad`, which reaches this hook, which reaches Node's default loader. This hook therefore
 * sees the raw TypeScript, and tsx transpiles what it returns (chaining the inline source map).
 */
import type { InitializeHook, LoadFnOutput, LoadHook } from 'node:module';
import type { MessagePort } from 'node:worker_threads';
import { displayPath as displayPathOf } from '../core/display-path.js';
import { decideInstrument } from './instrument-policy.js';
import type { InstrumentPolicy } from './instrument-policy.js';
import { instrumenterFailed, OutcomeReporter } from './module-outcome.js';
import { instrumentSource, maySuspend } from './transform.js';
import { cachedTransform, outcomeOf } from './transform-cache.js';
import { UpstreamMap } from './upstream-map.js';

/** What race-hunt passes as `data` to `module.register` for this hook. */
export interface LoaderHookData {
  readonly policy: InstrumentPolicy;
  /** The directory LOC strings are relative to (the user's working directory). */
  readonly cwd: string;
  /** Also report memory accesses (for the `dpor` strategy), in every user file, awaits or not. */
  readonly track: boolean;
  /**
   * Where to tell the main thread what was loaded and instrumented (`module-outcome.ts`); passed
   * in `transferList`. Absent: nobody listens.
   */
  readonly port?: MessagePort;
}

// Formats whose source is not JavaScript or TypeScript text.
const OPAQUE_FORMATS: ReadonlySet<string> = new Set(['builtin', 'json', 'wasm']);
const decoder = new TextDecoder();

let settings: LoaderHookData | undefined;
let outcomes = OutcomeReporter.overPort(undefined);

/** Receives the policy and working directory from `module.register(…, { data })`. */
export const initialize: InitializeHook<LoaderHookData> = (data) => {
  settings = data;
  outcomes = OutcomeReporter.overPort(data.port);
};

/**
 * Loads a module through the rest of the chain, then instruments its source if the policy says so.
 * A CommonJS module usually comes without a source (Node compiles it, and what it requires, in
 * its CommonJS loader): `commonjs-hook.ts` instruments those as they compile.
 */
export const load: LoadHook = async (url, context, nextLoad) => {
  const loaded = await nextLoad(url, context);
  const instrumented = settings === undefined ? undefined : tryInstrument(url, loaded, settings);
  return instrumented === undefined ? loaded : { ...loaded, source: instrumented };
};

/** The instrumented text, or `undefined` to pass the module through: this must never throw on a user's file. */
function tryInstrument(url: string, loaded: LoadFnOutput, { policy, cwd, track }: LoaderHookData): string | undefined {
  const { source, format } = loaded;
  if (source === undefined || source === null) return undefined;
  if (typeof format === 'string' && OPAQUE_FORMATS.has(format)) return undefined;
  let filePath: string | undefined;
  try {
    const decision = decideInstrument(url, policy);
    outcomes.decided(decision);
    if (!decision.instrument) return undefined;
    filePath = decision.file!;
    const text = typeof source === 'string' ? source : decoder.decode(source);
    if (!track && !maySuspend(text)) return undefined;
    // CommonJS is a script whatever its extension (a `.js` file in a "type": "commonjs" package).
    const sourceType = format === 'commonjs' ? ('script' as const) : undefined;
    const file = filePath;
    const key = { source: text, filePath, cwd, settings: { hook: 'module', sourceType: sourceType ?? 'by extension', track } };
    const outcome = cachedTransform(key, () =>
      outcomeOf((onRefused) => {
        // Compiled output that carries its map (a build's dist/): awaits are named where they were written.
        const upstream = UpstreamMap.fromInlineComment(text, file, (path) => displayPathOf(path, cwd));
        const options = {
          ...(sourceType === undefined ? {} : { sourceType }),
          ...(upstream === undefined ? {} : { upstream }),
          ...(track ? { track } : {}),
          onRefused,
        };
        return instrumentSource(text, file, displayPathOf(file, cwd), options);
      }),
    );
    if (outcome.kind === 'refused') outcomes.refused(filePath, outcome.reason);
    if (outcome.kind !== 'instrumented') return undefined;
    outcomes.instrumented(filePath);
    return outcome.code;
  } catch (error) {
    if (filePath !== undefined) outcomes.refused(filePath, instrumenterFailed(error));
    return undefined;
  }
}
