import type MagicString from 'magic-string';
import type { ArrowFunctionExpression, Function as FunctionBase } from 'oxc-parser';
import { IDENTIFIER_CHAR } from './identifier-char.js';
import { RUNTIME_GLOBALS as G } from './runtime-names.js';
import { identifierNames } from './track-syntax.js';
import type { Pattern } from './track-syntax.js';
import { literal, OPAQUE } from './track-texts.js';

/*
 * Destructuring patterns in the tracking rewrite (track-accesses.ts): the patterns of parameters,
 * `catch` and `for…of` heads move (MagicString `move`, which carries their edits along) to a
 * declaration at the start of the body, where what they destructure can be reported.
 */

/** A destructuring pattern to move to the start of a body, where it destructures `temp`. */
export type Move = { readonly pattern: Pattern; readonly temp: string };

/** The tracker's own insertions, which count the tracking calls they write. */
export interface TrackerInsertions {
  /** Inserts `text` at `offset` (MagicString `appendLeft`). */
  insertLeft(offset: number, text: string): void;
  /** Opens a wrap at `offset` in the node being entered. */
  open(offset: number, text: string): void;
  /** Closes it at `offset` when that node is left. */
  closeOnLeave(offset: number, text: string): void;
  /** Counts one tracking call written by other means (an overwrite). */
  countCall(): void;
}

/** Moves and marks the destructuring patterns of one file, editing `edits` (see track-accesses.ts). */
export class PatternRewriter {
  constructor(
    private readonly source: string,
    private readonly edits: MagicString,
    private readonly tracker: TrackerInsertions,
  ) {}

  /**
   * A generator destructures its parameters when called but runs its body later: `{a, b}` becomes
   * `{[(__rh$x(), "a")]: a, b}`, marking the caller's step. False when the pattern has no key.
   */
  markOpaqueAtCall(pattern: Pattern): boolean {
    const first = pattern.type === 'ObjectPattern' ? pattern.properties[0] : undefined;
    if (first?.type !== 'Property') return pattern.type === 'ObjectPattern' && first === undefined;
    const { key } = first;
    if (first.computed) {
      this.tracker.open(key.start, `(${OPAQUE}, `);
      this.tracker.closeOnLeave(key.end, ')');
      return true;
    }
    const name = key.type === 'Identifier' ? literal(key.name) : this.source.slice(key.start, key.end);
    this.edits.overwrite(key.start, key.end, `[(${OPAQUE}, ${name})]${first.shorthand ? `: ${this.source.slice(key.start, key.end)}` : ''}`);
    this.tracker.countCall();
    return true;
  }

  /** Replaces the pattern by its temp and moves it to `at` as `KEYWORD PATTERN = __rh$ra(TEMP);`. */
  move({ pattern, temp }: Move, at: number, keyword: string): void {
    const end = this.patternEnd(pattern);
    this.edits.appendLeft(pattern.start, this.spaced(pattern.start, temp, end));
    this.edits.appendRight(pattern.start, keyword);
    this.tracker.insertLeft(end, ` = ${G.readAll}(${temp});`);
    this.edits.move(pattern.start, end, at);
  }

  /** `for (PATTERN of …)` → `for (const TEMP of …) {(PATTERN = __rh$ra(TEMP)); …}`. */
  moveAssignment({ pattern, temp }: Move, at: number): void {
    this.edits.appendLeft(pattern.start, this.spaced(pattern.start, `const ${temp}`, pattern.end));
    this.edits.appendRight(pattern.start, '(');
    this.tracker.insertLeft(pattern.end, ` = ${G.readAll}(${temp}));`);
    this.edits.move(pattern.start, pattern.end, at);
  }

  /** `name`, to replace the text from `start` to `end`, kept apart from identifiers around it (`for (const{a}of x)`). */
  private spaced(start: number, name: string, end: number): string {
    const before = IDENTIFIER_CHAR.test(this.source.charAt(start - 1)) ? ' ' : '';
    const after = IDENTIFIER_CHAR.test(this.source.charAt(end)) ? ' ' : '';
    return `${before}${name}${after}`;
  }

  /** Where a pattern ends, before any type annotation (`{a}: T`). */
  private patternEnd(pattern: Pattern): number {
    const annotation = pattern.typeAnnotation;
    if (annotation === null || annotation === undefined) return pattern.end;
    return this.source.lastIndexOf(pattern.type === 'ObjectPattern' ? '}' : ']', annotation.start) + 1;
  }
}

/**
 * Whether the pattern of parameter `index` of `fn` can move into its body, whose own declarations
 * are `bodyDeclarations`.
 */
export function canMoveParameter(
  fn: FunctionBase | ArrowFunctionExpression,
  index: number,
  pattern: Pattern,
  bodyDeclarations: ReadonlySet<string>,
): boolean {
  const decorated = (pattern.decorators?.length ?? 0) > 0;
  if (decorated || (pattern as { optional?: boolean }).optional === true) return false;
  // Moved into the body, the pattern's names (and its defaults' references) would meet the
  // body's declarations, and later parameters already initialised.
  const taken = new Set(bodyDeclarations);
  for (const later of fn.params.slice(index + 1)) for (const name of identifierNames(later)) taken.add(name);
  return identifierNames(pattern).every((name) => !taken.has(name));
}
