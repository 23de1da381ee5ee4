/** Colours for the terminal, or identity functions for plain text. Keeps formatting pure. */
export interface Palette {
  readonly task: (name: string, index: number) => string;
  readonly dim: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly good: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly bold: (text: string) => string;
}

const same = (text: string): string => text;

export const PLAIN: Palette = { task: same, dim: same, bad: same, good: same, warn: same, bold: same };

/** Finds the source line at a `file:line:col` location (trimmed), or undefined. */
export type SourceLookup = ((location: string) => string | undefined) & {
  /** Where a location's column falls in the text the lookup returns for it (0-based), when known. */
  readonly columnIn?: (location: string) => number | undefined;
};

