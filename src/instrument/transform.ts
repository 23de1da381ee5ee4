import { basename } from 'node:path';
import MagicString from 'magic-string';
import { parseSync } from 'oxc-parser';
import type { Node } from 'oxc-parser';
import { walkAst } from './ast-walk.js';
import type { AstVisitor, WalkContext } from './ast-walk.js';
import { LineIndex } from './line-index.js';
import { RUNTIME_GLOBALS } from './runtime-names.js';
import { sourceKindOf } from './source-kind.js';
import type { SourceKind } from './source-kind.js';
import { AccessTracker } from './track-accesses.js';
import type { UpstreamMap } from './upstream-map.js';

/** Optional settings for {@link instrumentSource}. */
export interface InstrumentOptions {
  /**
   * Overrides the extension's choice of script or module parsing, e.g. `'script'` for a `.js`
   * file that Node loads as CommonJS (where `await(x)` may be a call of a function named `await`).
   */
  readonly sourceType?: 'module' | 'script';
  /** Overrides the extension's language, e.g. `'js'` for a `.ts` file's code once tsx has transpiled it. */
  readonly lang?: SourceKind['lang'];
  /**
   * The map from `source` back to the file as written, when `source` is already a transform's
   * output: LOC strings then name positions in the original, and the output's map is chained
   * through this one (replacing the inline map comment it came with). LOC strings name the
   * original file, as the map does.
   */
  readonly upstream?: UpstreamMap;
  /**
   * Also report every access to memory other tasks could touch (see track-accesses.ts), for
   * partial-order reduction: every file is rewritten, with or without awaits.
   */
  readonly track?: boolean;
  /**
   * Hears why a file that may suspend is left as it is: the parser's first error, when the text
   * does not parse (race-hunt reports the file's awaits as outside its control).
   */
  readonly onRefused?: (reason: string) => void;
}

/** The result of instrumenting one file. */
export interface InstrumentedSource {
  /** The rewritten source, ending with an inline source map back to the original. */
  readonly code: string;
  /** How many suspension points got a gate call: `await`s, `for await` loops and async-generator `yield`s. */
  readonly awaitPoints: number;
  /** How many tracking calls were inserted (0 without `track`). */
  readonly trackedAccesses: number;
}

// Cheap pre-check: a file without any of these cannot contain anything we rewrite. (Static
// `import … from` alone does not count, so most modules without awaits skip the parse.)
const MAY_SUSPEND = /await|yield|import\s*(?:\(|\/[*/])/;
// A character that would glue onto an inserted identifier (`of[a]` must not become `of__rh$…`).
const IDENTIFIER_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;

/** False when `source` cannot contain anything {@link instrumentSource} rewrites (a cheap text test). */
export function maySuspend(source: string): boolean {
  return MAY_SUSPEND.test(source);
}

/**
 * Rewrites every place where async code can be interleaved so that it first calls race-hunt's
 * runtime (see {@link RUNTIME_GLOBALS}):
 *
 * - `await X` → `await __rh$await(X, "LOC")` (also top-level await);
 * - `for await (x of E)` → `for await (x of __rh$forAwait(E, "LOC"))`;
 * - `yield X` in an async generator → `yield await __rh$await(X, "LOC")` (a bare `yield` yields
 *   `void 0`; `yield*` and yields of synchronous generators are left alone);
 * - `import(X)` → `__rh$import(import(X))`.
 *
 * With `track`, the accesses to shared memory are reported too (see track-accesses.ts); a
 * parameter's destructuring pattern may then move into the function's body, which keeps the
 * number of lines and the lines after it.
 *
 * LOC is `displayPath:line:column` (1-based) of the `await`/`for`/`yield` keyword (with an
 * `upstream` map: the original file's name, line and column).
 * Edits only insert text on existing lines, so line numbers never change; an inline source map
 * (sources: the file's basename) keeps columns right in stack traces once tsx transpiles the output.
 *
 * @param source the file's text, exactly as read (TypeScript or JavaScript).
 * @param filePath the file's path; its extension picks the language and script/module parsing.
 * @param displayPath how LOC strings name the file (usually relative to the working directory).
 * @param options see {@link InstrumentOptions}.
 * @returns `undefined` when there is nothing to rewrite (never with `track`), the extension is
 *   unknown, or the text does not parse (so that tsx reports the real syntax error at its real location).
 */
export function instrumentSource(
  source: string,
  filePath: string,
  displayPath: string,
  options: InstrumentOptions = {},
): InstrumentedSource | undefined {
  const { upstream, track = false } = options;
  if (!track && !maySuspend(source)) return undefined;
  const kind = sourceKindOf(filePath);
  if (kind === undefined) return undefined;

  const sourceType = options.sourceType ?? kind.sourceType;
  const parsed = parseSync(filePath, source, {
    lang: options.lang ?? kind.lang,
    sourceType,
    // Keep parentheses as nodes, so `await (a, b)` wraps `(a, b)` and not `a, b`.
    preserveParens: true,
    // Scope analysis (typescript-eslint's) wants ranges, and the TypeScript shape of every node.
    ...(track ? { range: true, astType: 'ts' as const } : {}),
  });
  const fatal = parsed.errors.find((error) => String(error.severity) === 'Error');
  if (fatal !== undefined) {
    options.onRefused?.(`oxc-parser could not parse it: ${fatal.message}`);
    return undefined;
  }

  const rewriter = new Rewriter(source, displayPath, upstream);
  const tracker = track ? new AccessTracker(parsed.program, source, rewriter.edits, filePath, sourceType) : undefined;
  walkAst(parsed.program, tracker === undefined ? rewriter : outside(tracker, rewriter));
  if (!rewriter.changed && tracker === undefined) return undefined;

  if (upstream !== undefined) rewriter.edits.remove(upstream.commentStart, source.length);
  const map = rewriter.edits.generateMap({
    hires: true,
    source: basename(filePath),
    includeContent: upstream === undefined,
  });
  const mapUrl = upstream === undefined ? map.toUrl() : dataUrlOf(upstream.chain(map.toString()).toString());
  const code = rewriter.edits.toString();
  const separator = code.endsWith('\n') || code.endsWith('\r') ? '' : '\n';
  return {
    code: `${code}${separator}//# sourceMappingURL=${mapUrl}\n`,
    awaitPoints: rewriter.awaitPoints,
    trackedAccesses: tracker?.trackedAccesses ?? 0,
  };
}

/** Visits with `outer` wrapping `inner`: entered first and left last at every node. */
function outside(outer: AstVisitor, inner: AstVisitor): AstVisitor {
  return {
    enter(node, context) {
      outer.enter(node, context);
      inner.enter(node, context);
    },
    leave(node, context) {
      inner.leave(node, context);
      outer.leave(node, context);
    },
  };
}

function dataUrlOf(json: string): string {
  return `data:application/json;charset=utf-8;base64,${Buffer.from(json, 'utf8').toString('base64')}`;
}

/**
 * Collects the insertions for one file.
 *
 * Why enter/leave: an opening text is added when a node is entered (outer before inner at the same
 * offset, `appendRight` keeps call order) and the closing text when it is left (inner before outer,
 * `appendLeft` keeps call order), so nested forms such as `await await x` or `yield import(x)`
 * close their calls in the right order.
 */
class Rewriter {
  readonly edits: MagicString;
  awaitPoints = 0;
  changed = false;
  private readonly lines: LineIndex;

  constructor(
    private readonly source: string,
    private readonly displayPath: string,
    private readonly upstream: UpstreamMap | undefined,
  ) {
    this.edits = new MagicString(source);
    this.lines = new LineIndex(source);
  }

  enter(node: Node, context: WalkContext): void {
    switch (node.type) {
      case 'AwaitExpression':
        this.open(node.argument.start, `${RUNTIME_GLOBALS.await}(`);
        break;
      case 'ForOfStatement':
        if (node.await) this.open(node.right.start, `${RUNTIME_GLOBALS.forAwait}(`);
        break;
      case 'YieldExpression':
        if (context.inAsyncGenerator && !node.delegate && node.argument !== null) {
          this.open(node.argument.start, `await ${RUNTIME_GLOBALS.await}(`);
        }
        break;
      case 'ImportExpression':
        this.open(node.start, `${RUNTIME_GLOBALS.import}(`);
        break;
      default:
        break;
    }
  }

  leave(node: Node, context: WalkContext): void {
    switch (node.type) {
      case 'AwaitExpression':
        this.closeGate(node.end, node.start);
        break;
      case 'ForOfStatement':
        if (node.await) this.closeGate(node.right.end, node.start);
        break;
      case 'YieldExpression':
        if (!context.inAsyncGenerator || node.delegate) break;
        if (node.argument === null) {
          // `void 0` rather than `undefined`, which a user may shadow.
          this.edits.appendLeft(node.end, ` await ${RUNTIME_GLOBALS.await}(void 0, ${this.loc(node.start)})`);
          this.changed = true;
          this.awaitPoints++;
        } else {
          this.closeGate(node.argument.end, node.start);
        }
        break;
      case 'ImportExpression':
        this.edits.appendLeft(node.end, ')');
        break;
      default:
        break;
    }
  }

  /** Inserts `text` before `offset`, separated from a preceding identifier character. */
  private open(offset: number, text: string): void {
    const glue = IDENTIFIER_CHAR.test(this.source.charAt(offset - 1)) ? ' ' : '';
    this.edits.appendRight(offset, glue + text);
    this.changed = true;
  }

  /** Closes a gate call at `offset`, labelled with the keyword at `keywordOffset`. */
  private closeGate(offset: number, keywordOffset: number): void {
    this.edits.appendLeft(offset, `, ${this.loc(keywordOffset)})`);
    this.awaitPoints++;
  }

  /** The LOC argument, as a JavaScript string literal (a path may contain quotes or backslashes). */
  private loc(offset: number): string {
    const here = this.lines.positionOf(offset);
    const { file, line, column } = this.upstream?.originalOf(here) ?? { file: this.displayPath, ...here };
    return JSON.stringify(`${file}:${line}:${column}`);
  }
}
