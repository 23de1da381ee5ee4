import { fileURLToPath } from 'node:url';

/**
 * The file a `file:` URL loads (query and hash dropped), or `undefined` for any other URL. tsx
 * loads a CommonJS module for an importing ES module under a URL that carries its own query
 * inside the path (`a.ts%3Ftsx-…?tsx-…`): the file is what precedes it.
 */
export function filePathOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'file:') return undefined;
  parsed.search = '';
  parsed.hash = '';
  try {
    return fileURLToPath(parsed).split('?')[0];
  } catch {
    return undefined;
  }
}
