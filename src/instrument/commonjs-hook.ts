/**
 * Instruments user modules that Node loads as CommonJS (a `.ts` or `.js` file in a package without
 * `"type": "module"`, or a `.cts`/`.cjs` file). Those never reach the loader hook's source: Node's
 * CommonJS loader compiles them, and everything they `require`, itself. Every such compile goes
 * through `Module.prototype._compile`, so this wraps it, in the main thread.
 *
 * Why after tsx: tsx's CommonJS hook reads the TypeScript itself and hands `_compile` JavaScript
 * with an inline source map. The awaits are found in that JavaScript, labelled with their place
 * in the TypeScript through the map, and the instrumented code's own map is chained through it.
 */
import Module from 'node:module';
import { pathToFileURL } from 'node:url';
import { displayPath as displayPathOf } from '../core/display-path.js';
import { decideInstrument } from './instrument-policy.js';
import type { InstrumentPolicy } from './instrument-policy.js';
import type { OutcomeReporter } from './module-outcome.js';
import { instrumenterFailed } from './module-outcome.js';
import { RUNTIME_GLOBALS } from './runtime-names.js';
import { instrumentSource, maySuspend } from './transform.js';
import { cachedTransform, outcomeOf } from './transform-cache.js';
import { UpstreamMap } from './upstream-map.js';

type Compile = (this: unknown, code: string, filename: string, ...rest: unknown[]) => unknown;
interface CompilingModule {
  _compile: Compile;
}

// Code that already calls a gate was instrumented before it got here (by the loader hook, when
// Node handed it a CommonJS module's source): instrumenting it twice would gate every await twice.
const GATE_CALLS = [RUNTIME_GLOBALS.await, RUNTIME_GLOBALS.forAwait, RUNTIME_GLOBALS.yieldStar, RUNTIME_GLOBALS.then, RUNTIME_GLOBALS.awaitUsing, RUNTIME_GLOBALS.own].map(
  (name) => `${name}(`,
);
const isInstrumented = (code: string): boolean => GATE_CALLS.some((call) => code.includes(call));
const ALREADY_TRACKED = RUNTIME_GLOBALS.functionMark;

/**
 * Wraps CommonJS compilation so user modules are instrumented like ES modules. Installed once per
 * process (like the loader hook, it cannot be taken back while modules it compiled are alive).
 * `outcomes` hears what was compiled and instrumented (`module-outcome.ts`).
 */
export function installCommonJsHook(policy: InstrumentPolicy, cwd: string, track = false, outcomes?: OutcomeReporter): void {
  const prototype = Module.prototype as unknown as CompilingModule;
  const compile = prototype._compile;
  // Node 20.19+ passes a third argument (the module's format): hand on whatever comes.
  prototype._compile = function compileInstrumented(code: string, filename: string, ...rest: unknown[]): unknown {
    return compile.call(this, instrumentCommonJs(code, filename, policy, cwd, track, outcomes) ?? code, filename, ...rest);
  };
}

/**
 * The instrumented code of one CommonJS module, or `undefined` to compile it as it is. Never throws.
 * `track`: also report memory accesses (see `transform.ts`), in files without awaits too.
 * `outcomes`: hears the module's package, and whether the file was instrumented or refused.
 */
export function instrumentCommonJs(
  code: string,
  filename: string,
  policy: InstrumentPolicy,
  cwd: string,
  track = false,
  outcomes?: OutcomeReporter,
): string | undefined {
  try {
    // The path first: most modules compiled are dependencies, and their text need not be searched.
    if (typeof code !== 'string') return undefined;
    const decision = decideInstrument(pathToFileURL(filename).href, policy);
    outcomes?.decided(decision);
    if (!decision.instrument) return undefined;
    if (isInstrumented(code) || code.includes(ALREADY_TRACKED) || (!track && !maySuspend(code))) return undefined;
    const key = { source: code, filePath: filename, cwd, settings: { hook: 'commonjs', track } };
    const outcome = cachedTransform(key, () =>
      outcomeOf((onRefused) => {
        const upstream = UpstreamMap.fromInlineComment(code, filename, (path) => displayPathOf(path, cwd));
        // Code with a map came out of a transpiler (tsx): JavaScript, whatever the file's extension.
        const options = {
          sourceType: 'script' as const,
          ...(upstream === undefined ? {} : { lang: 'js' as const, upstream }),
          ...(track ? { track } : {}),
          onRefused,
        };
        return instrumentSource(code, filename, displayPathOf(filename, cwd), options);
      }),
    );
    if (outcome.kind === 'refused') outcomes?.refused(filename, outcome.reason);
    if (outcome.kind !== 'instrumented') return undefined;
    outcomes?.instrumented(filename);
    return outcome.code;
  } catch (error) {
    outcomes?.refused(filename, instrumenterFailed(error));
    return undefined;
  }
}
