import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The environment variable that turns the transform cache off: `RACE_HUNT_CACHE=0`. */
export const CACHE_ENV = 'RACE_HUNT_CACHE';
const OFF = new Set(['0', 'false', 'off', 'no']);

/** Whether the environment turns the transform cache off (`RACE_HUNT_CACHE` is `0`, `false`, `off` or `no`). */
export function cacheTurnedOff(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[CACHE_ENV];
  return value !== undefined && OFF.has(value.trim().toLowerCase());
}

/**
 * Where the transform cache of a project lives: `<cwd>/node_modules/.cache/race-hunt` when the
 * project has a `node_modules` folder (as Babel and Vite keep theirs), else a folder of this user's
 * in the OS temp directory. `undefined` when neither can be made writable: the run goes on uncached.
 */
export function transformCacheDir(cwd: string): string | undefined {
  const candidates = [join(cwd, 'node_modules', '.cache', 'race-hunt'), join(tmpdir(), `race-hunt-cache-${userName()}`)];
  if (!isDirectory(join(cwd, 'node_modules'))) candidates.shift();
  return candidates.find(writableDirectory);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function writableDirectory(path: string): boolean {
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

// Users share the temp directory: each gets a folder of their own (another's is not writable).
function userName(): string {
  try {
    return userInfo().username.replace(/[^\w.-]/g, '_') || String(process.getuid?.() ?? 'user');
  } catch {
    return String(process.getuid?.() ?? 'user');
  }
}
