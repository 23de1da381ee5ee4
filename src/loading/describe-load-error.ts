import { displayPath } from '../core/display-path.js';
import { firstUserFrame } from '../core/user-frame.js';

/**
 * Turns what `import()` threw into one line naming the place and the cause: a syntax error
 * with its file:line:col, a missing module, or the user's own error thrown at load time
 * with the frame that threw it. Never race-hunt's internals.
 */
export function describeLoadError(error: unknown, cwd: string, file: string): string {
  // tsx names a .mts/.cts file with a .ts extension in its errors: show the file as it is.
  const show = (path: string): string => displayPath(sameStem(path, file) ? file : path, cwd);
  if (!(error instanceof Error)) return `it threw ${String(error)}`;
  const code = (error as Error & { code?: string }).code;
  // esbuild (through tsx): "Transform failed with 1 error:\n/abs/file.ts:3:10: ERROR: Expected ..."
  const esbuild = /^(\/[^\n]*?):(\d+):(\d+): ERROR: (.*)$/m.exec(error.message);
  if (esbuild !== null) {
    const where = `${show(esbuild[1]!)}:${esbuild[2]}:${esbuild[3]}`;
    // A JSON module imported (`import x from './x.json'`): tsx hands it to esbuild too.
    if (esbuild[1]!.endsWith('.json')) return invalidJson(show(esbuild[1]!), `${esbuild[4]} (at ${where})`);
    // tsx compiles a module in a package without "type": "module" to CommonJS, where top-level await cannot be.
    if (/not supported with the "cjs" output format/.test(esbuild[4]!)) {
      return `${where} uses top-level await, but it is loaded as CommonJS (its package.json has no "type": "module"). Move the await into a function (setup may be async), add "type": "module" to that package.json, or rename the file .mts.`;
    }
    return `syntax error at ${where}: ${esbuild[4]}. Fix it and run again.`;
  }
  const json = jsonProblem(error, cwd);
  if (json !== undefined) return json;
  if (error instanceof SyntaxError) {
    const where = /^(file:\/\/[^\n]+?|\/[^\n]+?):(\d+)\n/.exec(error.stack ?? '');
    const at = where === null ? '' : ` at ${show(where[1]!)}:${where[2]}`;
    return `syntax error${at}: ${error.message}. Fix it and run again.`;
  }
  if (code === 'ERR_REQUIRE_CYCLE_MODULE' || code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE' || /require\(\) (of )?ES Module/.test(error.message)) {
    return `a CommonJS module in it requires an ES module that Node cannot load with require() (${error.message.split('\n')[0]}). Load that module with import(), or make the requiring module an ES module ("type": "module" in its package.json, or the .mts extension).`;
  }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    // CommonJS names the requiring module in `requireStack`, not in its message (ES modules say "imported from").
    const requiredBy = (error as Error & { requireStack?: unknown }).requireStack;
    const from = Array.isArray(requiredBy) && typeof requiredBy[0] === 'string' ? ` (required from ${show(requiredBy[0])})` : '';
    return `${error.message.split('\n')[0]}${from}. Check the import path, or install the package.`;
  }
  const frame = firstUserFrame(error.stack ?? '', cwd);
  const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
  return `importing it threw ${name}${error.message}${frame === undefined ? '' : ` (at ${frame})`}.`;
}

/** Same path but for the extension (`a.scenario.ts` vs `a.scenario.mts`). */
function sameStem(a: string, b: string): boolean {
  const stem = (p: string): string => p.replace(/^file:\/\//, '').replace(/\.[cm]?[jt]sx?$/, '');
  return a !== b && stem(a) === stem(b);
}

/** The paragraph for a JSON file that does not parse. */
function invalidJson(shownFile: string, problem: string): string {
  return `${shownFile} is not valid JSON: ${problem}. Fix that file and run again.`;
}

/**
 * A `SyntaxError` from parsing JSON rather than from the module's own code: Node's loaders
 * (a JSON module, `require('./x.json')`) name the file at the head of the message; a
 * `JSON.parse` call in the user's code throws from `JSON.parse` itself, and the user's frame
 * that called it is the place to name.
 */
function jsonProblem(error: Error, cwd: string): string | undefined {
  if (!(error instanceof SyntaxError)) return undefined;
  const loaded = /^(\/[^\n]*?\.json): (.*)$/s.exec(error.message);
  if (loaded !== null) return invalidJson(displayPath(loaded[1]!, cwd), loaded[2]!);
  const stack = error.stack ?? '';
  const firstFrame = stack.split('\n').find((line) => /^\s+at /.test(line));
  if (firstFrame === undefined || !/^\s+at JSON\.parse \(/.test(firstFrame)) return undefined;
  const caller = firstUserFrame(stack, cwd);
  const at = caller === undefined ? '' : ` at ${caller}`;
  return `importing it threw: the JSON.parse call${at} was given text that is not valid JSON (${error.message}). Check the file or string it parses, then run again.`;
}
