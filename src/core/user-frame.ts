import { displayPath } from './display-path.js';
import { fileURLToPath } from 'node:url';


/**
 * The first `file:line:col` in a V8 stack that belongs to the user: not Node's internals,
 * not node_modules (but for a dependency `instrumented` says runs instrumented: code the user
 * asked to see), and not race-hunt's own runtime.
 */
export function firstUserFrame(
  stack: string,
  cwd: string,
  ownRoot?: string,
  instrumented?: (file: string) => boolean,
): string | undefined {
  for (const line of stack.split('\n').slice(1)) {
    // The path must start a frame's location: `(` or a space before it, never mid-token (node:internal/…).
    const match = /(?:\(|\s)((?:file:\/\/)?\/[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (match === null) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (ownRoot !== undefined && file.startsWith(ownRoot + '/')) continue;
    if (file.includes('/node_modules/') && instrumented?.(file) !== true) continue;
    return `${displayPath(file, cwd)}:${match[2]}:${match[3]}`;
  }
  return undefined;
}
