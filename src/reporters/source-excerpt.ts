/**
 * A source line cut to `width` characters around `column` (0-based), with "…" where it was cut:
 * the await that resumed stays in view, with some of what comes before it and more of what
 * comes after. A line that fits is returned whole.
 */
export function excerptAround(line: string, column: number | undefined, width: number): string {
  const chars = [...line];
  if (chars.length <= width) return line;
  if (width < 8) return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
  const at = Math.min(Math.max(0, column ?? 0), chars.length - 1);
  // A third of the room before the column, the rest after it.
  let start = Math.max(0, at - Math.floor(width / 3));
  let end = start + width;
  if (end > chars.length) {
    end = chars.length;
    start = Math.max(0, end - width);
  }
  // Each cut end gives one character to its "…".
  const head = start > 0 ? '…' : '';
  const tail = end < chars.length ? '…' : '';
  return `${head}${chars.slice(start + head.length, end - tail.length).join('')}${tail}`;
}

/**
 * How source lines are fitted into the lines that print them. `lineWidth`: the whole printed
 * line must fit it (a terminal's width), so the source gets what the columns before it leave.
 * `sourceWidth`: the source line alone is cut to it (a log, which has no width to fit, but where a
 * line of generated or minified code should not bury the trace).
 */
export type SourceFit = { readonly lineWidth: number } | { readonly sourceWidth: number };

/** The source fit of lines printed `by` characters further in: a line width narrows, a source width does not. */
export function indentFit(fit: SourceFit | undefined, by: number): SourceFit | undefined {
  return fit !== undefined && 'lineWidth' in fit ? { lineWidth: fit.lineWidth - by } : fit;
}

/**
 * `line` as printed after `before` characters of its printed line, cut per `fit` around `column`
 * (0-based, the await's); whole without a fit. A line width leaves the source at least 20 characters.
 */
export function fitSourceLine(line: string, column: number | undefined, before: number, fit: SourceFit | undefined): string {
  if (fit === undefined) return line;
  return excerptAround(line, column, 'lineWidth' in fit ? Math.max(20, fit.lineWidth - before) : fit.sourceWidth);
}
