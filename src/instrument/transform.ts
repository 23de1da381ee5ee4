import { basename } from 'node:path';
import MagicString from 'magic-string';
import { parseSync } from 'oxc-parser';
import type { Node } from 'oxc-parser';
import { walkAst } from './ast-walk.js';
import type { AstVisitor, WalkContext } from './ast-walk.js';
import { LineIndex } from './line-index.js';
import { promiseCallOf } from './promise-calls.js';
import type { PromiseCall } from './promise-calls.js';
import { RUNTIME_GLOBALS } from './runtime-names.js';
import { sourceKindOf } from './source-kind.js';
import type { SourceKind } from './source-kind.js';
import { AccessTracker } from './track-accesses.js';
import { isAnonymousFunction } from './track-syntax.js';
import type { NodeOf } from './track-syntax.js';
import type { UpstreamMap } from './upstream-map.js';
import { IDENTIFIER_CHAR } from './identifier-char.js';

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
  /**
   * Hand the source map back as `map` instead of appending it as an inline comment: for a
   * bundler's transform hook (Vite's), which chains the maps its plugins return.
   */
  readonly separateMap?: boolean;
}

/** The result of instrumenting one file. */
export interface InstrumentedSource {
  /** The rewritten source, ending with an inline source map back to the original. */
  readonly code: string;
  /**
   * How many suspension points got a gate call: `await`s, `for await` loops, async-generator `yield`s
   * and `yield*`s, promise calls (`.then`, `.catch`, `.finally`) and `await using` declarators.
   */
  readonly awaitPoints: number;
  /** How many tracking calls were inserted (0 without `track`). */
  readonly trackedAccesses: number;
  /** The source map (JSON), with `separateMap`; otherwise it ends `code`. */
  readonly map?: string;
}

// Cheap pre-check: a file without any of these cannot contain anything we rewrite. (Static
// `import … from` alone does not count, so most modules without awaits skip the parse.) Promise
// calls are matched by their method's name alone: `p. /* … */ then(f)` must not slip through.
const MAY_SUSPEND = /await|yield|async|import\s*(?:\(|\/[*/])|\b(?:then|catch|finally)\b/;

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
 *   `void 0`; yields of synchronous generators are left alone);
 * - `yield* X` in an async generator → `yield* __rh$yieldStar(X, "LOC")`;
 * - `E.then(f, g)` → `__rh$then(E, "then", "LOC_F", "LOC_G").then(f, g)`, and likewise `E.catch(g)`,
 *   `E.finally(f)` (see promise-calls.ts for the forms; LOC_F and LOC_G name the callbacks);
 * - `await using x = X` → `await using x = __rh$using(X, "LOC")` (LOC: the declaration's `await`);
 * - `import(X)` → `__rh$import(import(X))`;
 * - an async arrow function or function expression `F` inside a function → `__rh$own(F)`
 *   (binds it to the task that creates it; methods, declarations and the functions a module
 *   makes as it loads are left alone).
 *
 * Why promise calls are rewritten this way: the native order of `E.then(a, b)` is E, the lookup of
 * `then`, the arguments, the call. `__rh$then(E, …)` runs right after E and does the one lookup
 * itself (or, when it does not gate, hands E back and the text's own `.then` looks it up); the
 * arguments follow, then the call through the object it returned. The order is the native one, the
 * text stays insert-only (a `.then` on a line of its own keeps its line), and optional forms keep
 * short-circuiting (`__rh$then(E, …)?.then(f)` skips `f` when E is nullish).
 *
 * With `track`, the accesses to shared memory are reported too (see track-accesses.ts); a
 * parameter's destructuring pattern may then move into the function's body, which keeps the
 * number of lines and the lines after it.
 *
 * LOC is `displayPath:line:column` (1-based) of the `await`/`for`/`yield` keyword, or of a promise
 * call's callback (with an `upstream` map: the original file's name, line and column).
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
  const gatedPromiseCall = (node: Node): boolean => rewriter.promiseCallToGate(node) !== undefined;
  const tracker = track ? new AccessTracker(parsed.program, source, rewriter.edits, filePath, sourceType, gatedPromiseCall) : undefined;
  walkAst(parsed.program, tracker === undefined ? rewriter : outside(tracker, rewriter));
  if (!rewriter.changed && tracker === undefined) return undefined;

  if (upstream !== undefined) rewriter.edits.remove(upstream.commentStart, source.length);
  // A dependency's map is coarser (mappings at word boundaries, where its stack frames point)
  // and carries no copy of the source: instrumenting a large package (TypeScript's compiler:
  // 9 MB) made a 69 MB inline map that V8 had to scan on every start, cache or not.
  const dependency = /[\\/]node_modules[\\/]/.test(filePath);
  const map = rewriter.edits.generateMap({
    hires: dependency ? 'boundary' : true,
    source: basename(filePath),
    includeContent: upstream === undefined && !dependency,
  });
  const code = rewriter.edits.toString();
  const counts = { awaitPoints: rewriter.awaitPoints, trackedAccesses: tracker?.trackedAccesses ?? 0 };
  const mapJson = upstream === undefined ? map.toString() : upstream.chain(map.toString()).toString();
  if (options.separateMap === true) return { code, map: mapJson, ...counts };
  const mapUrl = upstream === undefined ? map.toUrl() : dataUrlOf(mapJson);
  const separator = code.endsWith('\n') || code.endsWith('\r') ? '' : '\n';
  return {
    code: `${code}${separator}//# sourceMappingURL=${mapUrl}\n`,
    ...counts,
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

/** A non-computed property key as a function name: an identifier, a string or a number. */
function keyName(key: Node): string | undefined {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  return undefined;
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
  /** The function values of methods, getters and setters: not expressions that can be wrapped. */
  private readonly methodBodies = new Set<Node>();
  /**
   * Anonymous functions in places that name them (`const f = async () => …`, `{ f: async () => … }`):
   * the name the binding gives, which `__rh$own(F)` would hide, so it is handed on.
   */
  private readonly inferredNames = new Map<Node, string>();
  /** Functions (and instance field initialisers) around the node being visited. */
  private functionDepth = 0;
  /** The closing text of each promise call's gate, by its callee (inserted once the callee's object is left), and its callbacks. */
  private readonly promiseCalls = new Map<Node, { readonly closing: string; readonly callbacks: number }>();
  /** Declarators of `await using` whose initialiser is wrapped, with their declaration's `await`. */
  private readonly disposals = new Map<Node, number>();

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
      case 'MethodDefinition':
      case 'TSAbstractMethodDefinition':
        this.methodBodies.add(node.value);
        break;
      case 'Property':
        if (node.method || node.kind !== 'init') this.methodBodies.add(node.value);
        else if (!node.computed) this.nameBy(keyName(node.key), node.value);
        break;
      case 'VariableDeclarator':
        if (node.id.type === 'Identifier' && node.init !== null) this.nameBy(node.id.name, node.init);
        break;
      case 'AssignmentExpression':
        if (node.left.type === 'Identifier') this.nameBy(node.left.name, node.right);
        break;
      case 'AssignmentPattern':
        if (node.left.type === 'Identifier') this.nameBy(node.left.name, node.right);
        break;
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        if (this.isOwnable(node)) this.open(node.start, `${RUNTIME_GLOBALS.own}(`);
        this.functionDepth++;
        break;
      case 'FunctionDeclaration':
        this.functionDepth++;
        break;
      case 'PropertyDefinition':
      case 'AccessorProperty':
        // An instance field's value is made by each construction, as code in a function is.
        if (!node.static) this.functionDepth++;
        if (!node.computed && node.value !== null) this.nameBy(keyName(node.key), node.value);
        break;
      case 'AwaitExpression':
        this.open(node.argument.start, `${RUNTIME_GLOBALS.await}(`);
        break;
      case 'ForOfStatement':
        if (node.await) this.open(node.right.start, `${RUNTIME_GLOBALS.forAwait}(`);
        break;
      case 'YieldExpression':
        if (!context.inAsyncGenerator || node.argument === null) break;
        this.open(node.argument.start, node.delegate ? `${RUNTIME_GLOBALS.yieldStar}(` : `await ${RUNTIME_GLOBALS.await}(`);
        break;
      case 'ImportExpression':
        this.open(node.start, `${RUNTIME_GLOBALS.import}(`);
        break;
      case 'CallExpression':
        this.enterPromiseCall(node);
        break;
      case 'VariableDeclaration':
        if (node.kind === 'await using') this.enterAwaitUsing(node);
        break;
      default:
        break;
    }
  }

  leave(node: Node, context: WalkContext): void {
    switch (node.type) {
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        this.functionDepth--;
        if (this.isOwnable(node)) {
          const name = this.inferredNames.get(node);
          this.edits.appendLeft(node.end, name === undefined ? ')' : `, ${JSON.stringify(name)})`);
        }
        break;
      case 'FunctionDeclaration':
        this.functionDepth--;
        break;
      case 'PropertyDefinition':
      case 'AccessorProperty':
        if (!node.static) this.functionDepth--;
        break;
      case 'AwaitExpression':
        this.closeGate(node.end, node.start);
        break;
      case 'ForOfStatement':
        if (node.await) this.closeGate(node.right.end, node.start);
        break;
      case 'YieldExpression':
        if (!context.inAsyncGenerator) break;
        if (node.delegate) {
          this.closeGate(node.argument!.end, node.start);
        } else if (node.argument === null) {
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
      case 'MemberExpression': {
        // Left after everything inside E: the gate's closing text comes after E's own.
        const gate = this.promiseCalls.get(node);
        if (gate !== undefined) {
          this.edits.appendLeft(node.object.end, gate.closing);
          this.awaitPoints += gate.callbacks;
        }
        break;
      }
      case 'VariableDeclarator': {
        const keyword = this.disposals.get(node);
        if (keyword !== undefined && node.init !== null) this.closeGate(node.init.end, keyword);
        break;
      }
      default:
        break;
    }
  }

  /**
   * An async function made by an expression (not a method, nor a generator) in code that runs
   * when called: bound to the task that makes it. One made as a module loads is made outside
   * every task (binding would return it as it is), and is left alone.
   */
  private isOwnable(node: { readonly async: boolean; readonly generator: boolean }): boolean {
    return this.functionDepth > 0 && node.async && !node.generator && !this.methodBodies.has(node as Node);
  }

  /**
   * `E.then(f, g)` → `__rh$then(E, "then", "LOC_F", "LOC_G").then(f, g)` (see promise-calls.ts).
   * (track-accesses.ts leaves the calls gated here to the gate, and tracks the others as usual.)
   *
   * Why each LOC names its callback rather than `.then`: the step the gate makes is that callback
   * running, so a trace line points at the code that ran, and `.then(onLoad, onError)` written over
   * several lines tells which of the two did. A spread argument has no position of its own: the
   * method's name stands for it.
   */
  private enterPromiseCall(node: Node): void {
    const promiseCall = this.promiseCallToGate(node);
    if (promiseCall === undefined) return;
    const { call, member, key } = promiseCall;
    const callbackLoc = (index: number): string => {
      const argument = call.arguments[index];
      return this.loc(argument === undefined || argument.type === 'SpreadElement' ? member.property.start : argument.start);
    };
    const callbacks = key === 'then' && call.arguments.length > 1 ? 2 : 1;
    const locs = callbacks === 2 ? `${callbackLoc(0)}, ${callbackLoc(1)}` : callbackLoc(0);
    this.open(member.object.start, `${RUNTIME_GLOBALS.then}(`);
    this.promiseCalls.set(member, { closing: `, ${JSON.stringify(key)}, ${locs})`, callbacks });
  }

  /**
   * `node` as a promise call this rewriter gates (see promise-calls.ts), or `undefined`. A
   * transpiler's helper in compiled code (esbuild's `__callDispose` chains disposals with `.then`)
   * is left as it is, as it is where tsx adds the helper after this hook (ES modules).
   */
  promiseCallToGate(node: Node): PromiseCall | undefined {
    const promiseCall = promiseCallOf(node);
    if (promiseCall === undefined || this.upstream === undefined) return promiseCall;
    return this.upstream.isOriginal(this.lines.positionOf(promiseCall.member.property.start)) ? promiseCall : undefined;
  }

  /**
   * `await using x = X` → `await using x = __rh$using(X, "LOC")`, LOC naming the declaration's
   * `await`: the disposal it gates belongs to that declaration. The bound value stays `X` itself.
   * Left alone: `for (await using x of …)` heads (nothing to wrap), and anonymous functions and
   * classes, whose name comes from the binding (`__rh$using(class {})` would have none).
   */
  private enterAwaitUsing(declaration: NodeOf<'VariableDeclaration'>): void {
    for (const declarator of declaration.declarations) {
      const { init } = declarator;
      if (init === null || isAnonymousFunction(init)) continue;
      this.open(init.start, `${RUNTIME_GLOBALS.awaitUsing}(`);
      this.disposals.set(declarator, declaration.start);
    }
  }

  /** Notes the name an anonymous function `value` (through parentheses) gets from where it stands. */
  private nameBy(name: string | undefined, value: Node): void {
    let inner = value;
    while (inner.type === 'ParenthesizedExpression') inner = inner.expression;
    if (name !== undefined && (inner.type === 'ArrowFunctionExpression' || (inner.type === 'FunctionExpression' && inner.id === null))) {
      this.inferredNames.set(inner, name);
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
