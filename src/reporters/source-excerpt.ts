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
