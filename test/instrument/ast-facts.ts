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
  /** The LOC strings passed to gates, in source order. */
  readonly locs: readonly string[];
}

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
    locs: [] as string[],
  };
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
        break;
      case 'ImportExpression':
        facts.imports++;
        break;
      case 'CallExpression':
        if (isCallTo(value, RUNTIME_GLOBALS.import)) {
          const [only, ...others] = value.arguments as unknown[];
          if (isObject(only) && only.type === 'ImportExpression' && others.length === 0) facts.wrappedImports++;
        }
        break;
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
