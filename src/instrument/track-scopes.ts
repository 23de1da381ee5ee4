import { analyze, DefinitionType, ScopeType } from '@typescript-eslint/scope-manager';
import type { Definition, Reference, Scope, ScopeManager, Variable } from '@typescript-eslint/scope-manager';
import type { Node } from 'oxc-parser';
import type { NodeOf } from './track-syntax.js';

// Undeclared names whose reads need no report: globals no program reassigns.
export const BUILTINS = new Set([
  'globalThis', 'console', 'Math', 'JSON', 'Promise', 'Object', 'Array', 'Map', 'Set', 'WeakMap', 'WeakSet',
  'Symbol', 'Number', 'String', 'Boolean', 'BigInt', 'Function', 'Error', 'AggregateError', 'EvalError',
  'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'Date', 'RegExp', 'Reflect', 'Proxy',
  'Intl', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
  'queueMicrotask', 'structuredClone', 'process', 'Buffer', 'require', 'module', 'exports', '__filename',
  '__dirname', 'undefined', 'NaN', 'Infinity', 'isNaN', 'isFinite', 'parseInt', 'parseFloat',
  'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'AbortController', 'AbortSignal',
  'Event', 'EventTarget', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'performance', 'fetch',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Atomics', 'WeakRef', 'FinalizationRegistry',
]);
const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/**
 * What scope analysis (typescript-eslint's scope manager) says about identifiers: which
 * variables are shared between tasks, which are exported, which references are unknown.
 */
export class ScopeFacts {
  private readonly manager: ScopeManager;
  private readonly references = new Map<Node, Reference>();
  private readonly shared = new Map<Variable, boolean>();
  private readonly exported = new Set<Variable>();

  constructor(
    program: NodeOf<'Program'>,
    sourceType: 'module' | 'script',
    private readonly filePath: string,
    private readonly parents: ReadonlyMap<Node, Node>,
    exports: readonly NodeOf<'ExportNamedDeclaration' | 'ExportDefaultDeclaration'>[],
  ) {
    // Scripts are CommonJS here: their top level is the module wrapper's function.
    this.manager = analyze(program as unknown as Parameters<typeof analyze>[0], {
      sourceType,
      globalReturn: sourceType === 'script',
      lib: [],
      jsxPragma: null,
    });
    for (const scope of this.manager.scopes) {
      for (const reference of scope.references) this.references.set(reference.identifier as unknown as Node, reference);
    }
    for (const node of exports) this.addExports(node);
  }

  referenceOf(identifier: Node): Reference | undefined {
    return this.references.get(identifier);
  }

  /** A reference to no declaration (a global), or to one `with` may hide. */
  isUndeclared(reference: Reference): boolean {
    const variable = reference.resolved;
    return variable === null || (variable.defs.length === 0 && variable.scope.type === ScopeType.global);
  }

  isDynamic(reference: Reference): boolean {
    for (let scope: Scope | null = reference.from; scope !== null; scope = scope.upper) {
      if (scope.type === ScopeType.with) return true;
    }
    return false;
  }

  isStaticallyResolved(identifier: Node): boolean {
    const reference = this.referenceOf(identifier);
    return reference !== undefined && !this.isUndeclared(reference) && !this.isDynamic(reference);
  }

  /** An identifier whose variable nothing reassigns (a built-in, for a global): it names one value throughout. */
  isStable(identifier: NodeOf<'Identifier'>): boolean {
    const reference = this.referenceOf(identifier);
    if (reference === undefined || this.isDynamic(reference)) return false;
    const variable = reference.resolved;
    if (variable === null || this.isUndeclared(reference)) return BUILTINS.has(identifier.name);
    return variable.references.every((other) => !other.isWrite() || (other.init === true && !this.reinitialises(other)));
  }

  /**
   * A variable other tasks may see change: assigned after its initialisation (`let`, `var`,
   * parameters, function and class names) and declared at module level or used by a closure.
   */
  isShared(variable: Variable): boolean {
    let shared = this.shared.get(variable);
    if (shared === undefined) {
      const home = variable.scope.variableScope;
      shared =
        variable.defs.length > 0 &&
        variable.defs.every(isMutableDefinition) &&
        variable.references.some((reference) => reference.isWrite() && (!reference.init || this.reinitialises(reference))) &&
        (isModuleLevel(home) || variable.references.some((reference) => reference.from.variableScope !== home));
      this.shared.set(variable, shared);
    }
    return shared;
  }

  /** Exported (importers read it without reporting it). */
  isExported(variable: Variable): boolean {
    return this.exported.has(variable);
  }

  /** A name for the variable, unique in the process: `file#offset:name`. */
  idOf(variable: Variable): string {
    const offset = variable.identifiers[0]?.range[0] ?? 0;
    return `${this.filePath}#${offset}:${variable.name}`;
  }

  usesSloppyArguments(fn: Node): boolean {
    const scope = this.manager.acquire(fn as unknown as Parameters<ScopeManager['acquire']>[0]);
    return scope !== null && !scope.isStrict && (scope.set.get('arguments')?.references.length ?? 0) > 0;
  }

  /** The names a function's body declares (they share the parameters' scope). */
  bodyDeclarations(fn: Node): Set<string> {
    const scope = this.manager.acquire(fn as unknown as Parameters<ScopeManager['acquire']>[0]);
    const names = new Set<string>();
    for (const variable of scope?.variables ?? []) {
      if (variable.defs.some((def) => def.type !== DefinitionType.Parameter)) names.add(variable.name);
    }
    return names;
  }

  /** A `var` declarator that writes its variable anew: in a loop, or declared twice. */
  reinitialises(reference: Reference): boolean {
    const variable = reference.resolved;
    if (reference.init !== true || variable === null || !variable.defs.some(isVarDefinition)) return false;
    return variable.defs.length > 1 || this.insideLoop(reference.identifier as unknown as Node, variable.scope.variableScope.block as unknown as Node);
  }

  private insideLoop(node: Node, until: Node): boolean {
    for (let current = this.parents.get(node); current !== undefined && current !== until; current = this.parents.get(current)) {
      if (LOOPS.has(current.type)) return true;
    }
    return false;
  }

  private addExports(node: NodeOf<'ExportNamedDeclaration' | 'ExportDefaultDeclaration'>): void {
    const { declaration } = node;
    if (declaration !== null && (node.type === 'ExportNamedDeclaration' || isDeclaration(declaration))) {
      const declared = this.manager.getDeclaredVariables(declaration as unknown as Parameters<ScopeManager['getDeclaredVariables']>[0]);
      // A function's parameters are declared by it too, but not exported.
      for (const variable of declared) {
        if (variable.defs.some((def) => def.type !== DefinitionType.Parameter)) this.exported.add(variable);
      }
    }
    if (node.type !== 'ExportNamedDeclaration' || node.source !== null) return;
    for (const specifier of node.specifiers) {
      const variable = this.referenceOf(specifier.local)?.resolved;
      if (variable !== null && variable !== undefined) this.exported.add(variable);
    }
  }
}

const isDeclaration = (node: Node): boolean => node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration';

function isMutableDefinition(definition: Definition): boolean {
  switch (definition.type) {
    case DefinitionType.Variable:
      return definition.parent.kind === 'let' || definition.parent.kind === 'var';
    case DefinitionType.Parameter:
    case DefinitionType.FunctionName:
    case DefinitionType.ClassName:
    case DefinitionType.CatchClause:
      return true;
    default:
      return false;
  }
}

const isVarDefinition = (definition: Definition): boolean =>
  definition.type === DefinitionType.Variable && definition.parent.kind === 'var';

function isModuleLevel(scope: Scope): boolean {
  return scope.type === ScopeType.module || scope.type === ScopeType.global || scope.type === ScopeType.tsModule || scope.block.type === 'Program';
}
