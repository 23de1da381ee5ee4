/** A 1-based line and 1-based column, as editors and stack traces show them. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Maps UTF-16 offsets (what oxc-parser and JS strings use) to 1-based line/column positions.
 * Lines end at `\n`, `\r\n` or a lone `\r`, as in editors; columns count UTF-16 code units,
 * as V8 stack traces do.
 */
export class LineIndex {
  /** Offset at which each line starts; `lineStarts[0]` is 0. */
  private readonly lineStarts: readonly number[];

  constructor(text: string) {
    const starts = [0];
    const terminator = /\r\n?|\n/g;
    for (let m = terminator.exec(text); m !== null; m = terminator.exec(text)) {
      starts.push(m.index + m[0].length);
    }
    this.lineStarts = starts;
  }

  /** The position of the character at `offset`. */
  positionOf(offset: number): Position {
    // Binary search for the last line start <= offset: files can have many awaits.
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] ?? 0) + 1 };
  }
}
