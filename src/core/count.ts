/** "1,000": a count as people read it. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * "1 run", "2 runs", "1,000 await pairs": a count and its noun, in English. `plural` when it is
 * not noun + s. Every count race-hunt prints goes through it, so none reads "1 runs".
 */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}
