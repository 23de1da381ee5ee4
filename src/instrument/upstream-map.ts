import remapping from '@jridgewell/remapping';
import type { SourceMapInput } from '@jridgewell/remapping';
import { LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import type { Position } from './line-index.js';

/** A place in the original file: which file (as LOC strings name it), line and column. */
export interface OriginalPosition extends Position {
  readonly file: string;
}

// The last inline map of a file, as tsx (esbuild) appends it: `//# sourceMappingURL=data:…;base64,…`.
const INLINE_MAP = /\/\/[#@] sourceMappingURL=data:application\/json(?:;charset=[\w-]+)?;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * The source map a file already carries from an earlier transform, e.g. the TypeScript → JavaScript
 * map of the code tsx hands to CommonJS's `_compile`. Instrumenting such code must label awaits with
 * their place in the *original* file and chain its own map onto this one.
 */
export class UpstreamMap {
  private readonly trace: TraceMap;

  private constructor(
    private readonly raw: SourceMapInput,
    /** Where the map comment starts in the text: instrumented output drops it and writes the chained map instead. */
    readonly commentStart: number,
    filePath: string,
    private readonly nameOf: (path: string) => string,
  ) {
    // Sources resolve against the file that carries the map (tsx names the file itself; a
    // build's map may name `../src/x.ts`).
    this.trace = new TraceMap(raw as ConstructorParameters<typeof TraceMap>[0], filePath);
  }

  /**
   * The inline map at the end of `code` (the text of `filePath`), or `undefined` when it has none
   * (or it does not decode). `nameOf` turns a source's absolute path into the name LOC strings show.
   */
  static fromInlineComment(code: string, filePath: string, nameOf: (path: string) => string): UpstreamMap | undefined {
    const match = INLINE_MAP.exec(code);
    if (match === null) return undefined;
    try {
      const json = JSON.parse(Buffer.from(match[1]!, 'base64').toString('utf8')) as SourceMapInput;
      return new UpstreamMap(json, match.index, filePath, nameOf);
    } catch {
      return undefined;
    }
  }

  /**
   * The original place of a 1-based line and column of the generated code: the mapping at or
   * before it on its line, else the next one after it; `undefined` when the line maps nowhere.
   */
  originalOf({ line, column }: Position): OriginalPosition | undefined {
    const needle = { line, column: column - 1 };
    let found = originalPositionFor(this.trace, needle);
    if (found.line === null) found = originalPositionFor(this.trace, { ...needle, bias: LEAST_UPPER_BOUND });
    if (found.line === null || found.source === null) return undefined;
    return { file: this.nameOf(found.source), line: found.line, column: found.column + 1 };
  }

  /**
   * Whether a 1-based line and column of the generated code was written in the original: a mapping
   * at or before it on its line. Code a transpiler adds (esbuild's and tsc's helpers) has none.
   */
  isOriginal({ line, column }: Position): boolean {
    return originalPositionFor(this.trace, { line, column: column - 1 }).line !== null;
  }

  /** Chains `map` (from the instrumented text to the code this map starts from) through this map to the original. */
  chain(map: SourceMapInput): ReturnType<typeof remapping> {
    let first = true;
    return remapping(map, () => {
      // The first call asks for the one source of `map` (the generated code): this map continues it.
      if (!first) return null;
      first = false;
      return this.raw;
    });
  }
}
