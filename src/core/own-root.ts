import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * race-hunt's own compiled code (`dist/`, or `src/` when run from source): frames and files
 * under it are race-hunt's, never the user's, and are not instrumented.
 */
export const OWN_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
