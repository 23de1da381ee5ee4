// Test helper: facts about a program's suspension points, read with oxc-parser and a walker written
// independently of src/instrument/ast-walk.ts (so the tests do not trust the code under test).
import { parseSync } from 'oxc-parser';
import { RUNTIME_GLOBALS } from '../../src/instrument/runtime-names.js';

/** Counts of each instrumentable form, and of those already wrapped in the matching gate call. */
export interface SuspensionFacts {
  readonly parseErrors: readonly string[];
  readonly awaits: number;
  /** `await G(X, "path:line:col")` where G is the await gate. */
  readonly gatedAwaits: number;
  readonly forAwaits: number;
  readonly gatedForAwaits: number;
  /** Non-delegating `yield`s of async generators. */
  readonly asyncYields: number;
  /** Async-generator yields whose argument is an `await`. */
  readonly yieldsOfAwait: number;
  readonly imports: number;
  /** `G(import(X))` where G is the import wrapper. */
  readonly wrappedImports: number;
  /** `yield*` in async generators. */
  readonly asyncDelegations: number;
  /** `yield* G(X, "LOC")` where G is the yield* gate. */
  readonly gatedDelegations: number;
  /**
   * Callbacks of promise calls the gates rewrite (`E.then(f, g)` counts 2, `E.catch(g)` 1), with
   * their rules written out again here: at least one argument, a key `then`/`catch`/`finally`
   * (literal), no `super`, no optional link inside `E` in the same chain.
   */
  readonly promiseCallbacks: number;
  /** Callbacks of calls `G(E, "key", LOC…).key(…)` where G is the promise-call gate (one per LOC). */
  readonly gatedPromiseCallbacks: number;
  /** Where each callback of {@link promiseCallbacks} starts (`line:column`, 1-based), or its method's name for a spread. */
  readonly promiseCallbackPositions: readonly string[];
  /** Declarators of `await using` with an initialiser that is not an anonymous function or class. */
  readonly awaitUsings: number;
  /** `await using x = G(X, "LOC")` where G is the await-using gate. */
  readonly gatedAwaitUsings: number;
  /** The LOC strings passed to gates, in source order. */
  readonly locs: readonly string[];
}

const PROMISE_KEYS = new Set(['then', 'catch', 'finally']);
const WRAPPERS = new Set(['ParenthesizedExpression', 'TSNonNullExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSTypeAssertion']);

/** Looks through parentheses, type-only wrappers and `__rh$own(F, …)` (which only binds F to its task). */
function unwrapped(value: unknown): unknown {
  let node = value;
  for (;;) {
    if (isObject(node) && typeof node.type === 'string' && WRAPPERS.has(node.type)) node = node.expression;
    else if (isCallTo(node, RUNTIME_GLOBALS.own)) node = (node.arguments as unknown[])[0];
    else return node;
  }
}

/** The key of a member (`o.k`, `o["k"]`), when it is a name or a string literal. */
function memberKey(member: AstObject): string | undefined {
  const property = member.property;
  if (!isObject(property)) return undefined;
  if (member.computed !== true) return property.type === 'Identifier' ? (property.name as string) : undefined;
  const key = unwrapped(property);
  return isObject(key) && key.type === 'Literal' && typeof key.value === 'string' ? key.value : undefined;
}

/** Whether a chain link or one below it (through members, calls and `!`) is optional. */
function hasOptional(value: unknown): boolean {
  for (let node = value; isObject(node); ) {
    if (node.type === 'MemberExpression') {
      if (node.optional === true) return true;
      node = node.object;
    } else if (node.type === 'CallExpression') {
      if (node.optional === true) return true;
      node = node.callee;
    } else if (node.type === 'TSNonNullExpression') {
      node = node.expression;
    } else {
      return false;
    }
  }
  return false;
}

const isAnonymousFunctionOrClass = (value: unknown): boolean => {
  const node = unwrapped(value);
  if (!isObject(node)) return false;
  if (node.type === 'ArrowFunctionExpression') return true;
  return (node.type === 'FunctionExpression' || node.type === 'ClassExpression') && node.id === null;
};

type AstObject = { readonly [key: string]: unknown };

const isObject = (value: unknown): value is AstObject => typeof value === 'object' && value !== null;
const isCallTo = (value: unknown, name: string): value is AstObject =>
  isObject(value) &&
  value.type === 'CallExpression' &&
  isObject(value.callee) &&
  value.callee.type === 'Identifier' &&
  value.callee.name === name;

/** Parses `code` as the file `filePath` and counts its suspension points. */
export function suspensionFacts(code: string, filePath: string): SuspensionFacts {
  // Without an explicit sourceType, oxc-parser reads a .ts file lacking import/export as a script,
  // where `await(1)` is a call of a function named `await`.
  const sourceType = /\.c[jt]s$/.test(filePath) ? 'script' : 'module';
  const parsed = parseSync(filePath, code, { preserveParens: true, sourceType });
  const facts = {
    parseErrors: parsed.errors.map((error) => error.message),
    awaits: 0,
    gatedAwaits: 0,
    forAwaits: 0,
    gatedForAwaits: 0,
    asyncYields: 0,
    yieldsOfAwait: 0,
    imports: 0,
    wrappedImports: 0,
    asyncDelegations: 0,
    gatedDelegations: 0,
    promiseCallbacks: 0,
    gatedPromiseCallbacks: 0,
    promiseCallbackPositions: [] as string[],
    awaitUsings: 0,
    gatedAwaitUsings: 0,
    locs: [] as string[],
  };
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '\n' || (c === '\r' && code[i + 1] !== '\n')) lineStarts.push(i + 1);
  }
  const positionOf = (offset: number): string => {
    let line = lineStarts.length - 1;
    while ((lineStarts[line] ?? 0) > offset) line--;
    return `${line + 1}:${offset - (lineStarts[line] ?? 0) + 1}`;
  };
  const stringArgs = (call: AstObject): string[] =>
    (call.arguments as unknown[]).flatMap((a) => (isObject(a) && a.type === 'Literal' && typeof a.value === 'string' ? [a.value] : []));
  const gateLoc = (call: AstObject): string | undefined => {
    const args = call.arguments;
    const last = Array.isArray(args) ? (args[args.length - 1] as unknown) : undefined;
    return isObject(last) && last.type === 'Literal' && typeof last.value === 'string' ? last.value : undefined;
  };
  const visit = (value: unknown, inAsyncGenerator: boolean): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, inAsyncGenerator);
      return;
    }
    if (!isObject(value)) return;
    let inner = inAsyncGenerator;
    switch (value.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        inner = value.async === true && value.generator === true;
        break;
      case 'ArrowFunctionExpression':
        inner = false;
        break;
      case 'AwaitExpression': {
        facts.awaits++;
        const loc = isCallTo(value.argument, RUNTIME_GLOBALS.await) ? gateLoc(value.argument) : undefined;
        if (loc !== undefined) {
          facts.gatedAwaits++;
          facts.locs.push(loc);
        }
        break;
      }
      case 'ForOfStatement':
        if (value.await === true) {
          facts.forAwaits++;
          const loc = isCallTo(value.right, RUNTIME_GLOBALS.forAwait) ? gateLoc(value.right) : undefined;
          if (loc !== undefined) {
            facts.gatedForAwaits++;
            facts.locs.push(loc);
          }
        }
        break;
      case 'YieldExpression':
        if (inAsyncGenerator && value.delegate !== true) {
          facts.asyncYields++;
          if (isObject(value.argument) && value.argument.type === 'AwaitExpression') facts.yieldsOfAwait++;
        }
        if (inAsyncGenerator && value.delegate === true) {
          facts.asyncDelegations++;
          const loc = isCallTo(value.argument, RUNTIME_GLOBALS.yieldStar) ? gateLoc(value.argument) : undefined;
          if (loc !== undefined) {
            facts.gatedDelegations++;
            facts.locs.push(loc);
          }
        }
        break;
      case 'VariableDeclaration':
        if (value.kind === 'await using') {
          for (const declarator of value.declarations as AstObject[]) {
            if (declarator.init === null || isAnonymousFunctionOrClass(declarator.init)) continue;
            facts.awaitUsings++;
            const loc = isCallTo(declarator.init, RUNTIME_GLOBALS.awaitUsing) ? gateLoc(declarator.init) : undefined;
            if (loc !== undefined) {
              facts.gatedAwaitUsings++;
              facts.locs.push(loc);
            }
          }
        }
        break;
      case 'ImportExpression':
        facts.imports++;
        break;
      case 'CallExpression': {
        if (isCallTo(value, RUNTIME_GLOBALS.import)) {
          const [only, ...others] = value.arguments as unknown[];
          if (isObject(only) && only.type === 'ImportExpression' && others.length === 0) facts.wrappedImports++;
        }
        const member = unwrapped(value.callee);
        const args = value.arguments as AstObject[];
        if (!isObject(member) || member.type !== 'MemberExpression' || args.length === 0) break;
        const key = memberKey(member);
        if (key === undefined || !PROMISE_KEYS.has(key)) break;
        if (isCallTo(member.object, RUNTIME_GLOBALS.then)) {
          const [method, ...locs] = stringArgs(member.object);
          if (method === key) {
            facts.gatedPromiseCallbacks += locs.length;
            facts.locs.push(...locs);
          }
        } else if (isObject(member.object) && member.object.type !== 'Super' && !hasOptional(member.object)) {
          const callbacks = key === 'then' ? Math.min(args.length, 2) : 1;
          facts.promiseCallbacks += callbacks;
          for (const argument of args.slice(0, callbacks)) {
            const at = argument.type === 'SpreadElement' ? (member.property as AstObject).start : argument.start;
            facts.promiseCallbackPositions.push(positionOf(at as number));
          }
        }
        break;
      }
      default:
        break;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'parent') visit(child, inner);
    }
  };
  visit(parsed.program, false);
  return facts;
}

/** Whether `needle` can be obtained from `haystack` by deleting characters (insert-only edits keep this). */
export function isSubsequence(needle: string, haystack: string): boolean {
  let at = 0;
  for (const char of haystack) {
    if (at < needle.length && needle.startsWith(char, at)) at += char.length;
  }
  return at === needle.length;
}

/** Splits at the same line terminators editors (and race-hunt's LOCs) use. */
export const linesOf = (text: string): string[] => text.split(/\r\n?|\n/);

/** The instrumented code without the trailing source-map comment (the line break before it stays). */
export function withoutSourceMap(code: string): string {
  const at = code.lastIndexOf('//# sourceMappingURL=');
  return at === -1 ? code : code.slice(0, at);
}

/** The original text as {@link withoutSourceMap} should give it back, modulo insertions: with a final line break. */
export const withFinalLineBreak = (source: string): string => (/[\r\n]$/.test(source) ? source : `${source}\n`);
