/**
 * A cached text's source map, kept in a file of its own beside the entry when it is large.
 *
 * An inline map is a comment V8 must scan whenever it compiles the module, and Node's source-map
 * support then decodes it from base64: for TypeScript's compiler (9 MB of code, a 17 MB map) that
 * made a start with a warm cache take about twice as long as one that did not instrument it. With
 * the map in a file, compiling costs what the code costs and Node reads the map as plain JSON
 * (measured side by side in one script: 218 ms to load the shipped typescript.js with
 * `--enable-source-maps`, 249 ms with the map in a file, 472 ms with it inline).
 *
 * Node 20 resolves a `sourceMappingURL` without a scheme against the module's own URL and ignores
 * `file:` URLs, so the comment names the map by a path relative to the module's folder. It then
 * resolves the map's `sources` against the map file's URL, so they are made absolute first: stack
 * frames keep naming the module's own file, not the cache folder.
 */
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Inline maps whose base64 text is shorter than this stay inline: one file read less. */
export const MIN_EXTERNAL_MAP_LENGTH = 256 * 1024;

export const MAP_SUFFIX = '.map';

/** What the instrumenter appends (`transform.ts`) as the last line of the text, before the base64. */
const INLINE_MAP_START = '\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,';
const BASE64 = /^[A-Za-z0-9+/=]+$/;

/** A text whose source map was moved out, and the map's JSON for the file at `mapPath`. */
export interface SplitText {
  readonly code: string;
  readonly map: string;
}

/**
 * `code` with its inline map replaced by a reference to `mapPath`, and the map to write there;
 * `undefined` when the map is small, absent, not the instrumenter's, or cannot be named relative to
 * `filePath` (another drive).
 */
export function splitInlineMap(code: string, filePath: string, mapPath: string): SplitText | undefined {
  const inlineStart = code.lastIndexOf(INLINE_MAP_START);
  if (inlineStart < 0 || !code.endsWith('\n')) return undefined;
  const base64 = code.slice(inlineStart + INLINE_MAP_START.length, -1);
  if (base64.length < MIN_EXTERNAL_MAP_LENGTH || !BASE64.test(base64)) return undefined;
  const reference = referenceTo(mapPath, filePath);
  if (reference === undefined) return undefined;
  let map: { sources?: unknown; sourceRoot?: unknown };
  try {
    map = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as typeof map;
  } catch {
    return undefined;
  }
  if (!Array.isArray(map.sources)) return undefined;
  const base = pathToFileURL(filePath);
  const root = typeof map.sourceRoot === 'string' ? map.sourceRoot : '';
  const sources = map.sources.map((source) => (typeof source === 'string' ? new URL(root + source, base).href : source));
  const moved = { ...map, sources };
  delete moved.sourceRoot;
  return { code: `${code.slice(0, inlineStart)}\n//# sourceMappingURL=${reference}\n`, map: JSON.stringify(moved) };
}

/** Whether `code` names its map by the reference {@link splitInlineMap} writes for `mapPath`. */
export function refersToMap(code: string, filePath: string, mapPath: string): boolean {
  const reference = referenceTo(mapPath, filePath);
  return reference !== undefined && code.endsWith(`\n//# sourceMappingURL=${reference}\n`);
}

/** `mapPath` relative to `filePath`'s folder, as URL path segments (Node splits the comment at white space). */
function referenceTo(mapPath: string, filePath: string): string | undefined {
  const path = relative(dirname(filePath), mapPath);
  if (path === '' || isAbsolute(path)) return undefined;
  return path.split(sep).map(encodeURIComponent).join('/');
}
