import { displayPath, firstUserFrame } from '../core/user-frame.js';

/**
 * Turns what `import()` threw into one line naming the place and the cause: a syntax error
 * with its file:line:col, a missing module, or the user's own error thrown at load time
 * with the frame that threw it. Never race-hunt's internals.
 */
export function describeLoadError(error: unknown, cwd: string): string {
  const show = (file: string): string => displayPath(file, cwd);
  if (!(error instanceof Error)) return `it threw ${String(error)}`;
  const code = (error as Error & { code?: string }).code;
  // esbuild (through tsx): "Transform failed with 1 error:\n/abs/file.ts:3:10: ERROR: Expected ..."
  const esbuild = /^(\/[^\n]*?):(\d+):(\d+): ERROR: (.*)$/m.exec(error.message);
  if (esbuild !== null) return `syntax error at ${show(esbuild[1]!)}:${esbuild[2]}:${esbuild[3]}: ${esbuild[4]}. Fix it and run again.`;
  if (error instanceof SyntaxError) {
    const where = /^(file:\/\/[^\n]+?|\/[^\n]+?):(\d+)\n/.exec(error.stack ?? '');
    const at = where === null ? '' : ` at ${show(where[1]!)}:${where[2]}`;
    return `syntax error${at}: ${error.message}. Fix it and run again.`;
  }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return `${error.message.split('\n')[0]}. Check the import path, or install the package.`;
  }
  const frame = firstUserFrame(error.stack ?? '', cwd);
  const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
  return `importing it threw ${name}${error.message}${frame === undefined ? '' : ` (at ${frame})`}.`;
}
