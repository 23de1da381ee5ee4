import { extname } from 'node:path';

/** How oxc-parser must read a file: its language and whether it is a module or a script. */
export interface SourceKind {
  readonly lang: 'js' | 'jsx' | 'ts' | 'tsx';
  readonly sourceType: 'module' | 'script';
}

// .cjs/.cts are CommonJS: parsed as scripts, so top-level `await` there is (correctly) a syntax error.
const KINDS: Readonly<Record<string, SourceKind>> = {
  '.ts': { lang: 'ts', sourceType: 'module' },
  '.mts': { lang: 'ts', sourceType: 'module' },
  '.cts': { lang: 'ts', sourceType: 'script' },
  '.tsx': { lang: 'tsx', sourceType: 'module' },
  '.js': { lang: 'js', sourceType: 'module' },
  '.mjs': { lang: 'js', sourceType: 'module' },
  '.cjs': { lang: 'js', sourceType: 'script' },
  '.jsx': { lang: 'jsx', sourceType: 'module' },
};

/** The file extensions race-hunt knows how to instrument, with their leading dot. */
export const INSTRUMENTABLE_EXTENSIONS: readonly string[] = Object.keys(KINDS);

/**
 * The parser settings for a file, chosen from its extension (case-sensitive, as Node does),
 * or `undefined` when race-hunt does not instrument that kind of file.
 */
export function sourceKindOf(filePath: string): SourceKind | undefined {
  const ext = extname(filePath);
  return Object.hasOwn(KINDS, ext) ? KINDS[ext] : undefined;
}
