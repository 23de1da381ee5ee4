import type { Reference } from '@typescript-eslint/scope-manager';
import type MagicString from 'magic-string';
import type { ArrowFunctionExpression, Function as FunctionBase, Node } from 'oxc-parser';
import type { AstVisitor } from './ast-walk.js';
import { walkAst } from './ast-walk.js';
import { promiseCallOf } from './promise-calls.js';
import { RUNTIME_GLOBALS as G, RUNTIME_NAME_PREFIX } from './runtime-names.js';
import { BUILTINS, ScopeFacts } from './track-scopes.js';
import {
  assignmentTargets,
  endsExpression,
  hasLaterDefault,
  hasNestedPattern,
  hasOptionalLink,
  innerLink,
  isAnonymousFunction,
  isCalleeOf,
  isChainLink,
  isFunction,
  isJsxChild,
  isLinkOf,
  isPattern,
  isPrimitiveValued,
  isShorthandValue,
  isSuperMember,
  isValueFree,
  maySuspendIn,
  STATEMENT_LISTS,
  staticKey,
  TRANSPARENT,
  unwrap,
} from './track-syntax.js';
import type { NodeOf } from './track-syntax.js';
import { IDENTIFIER_CHAR } from './identifier-char.js';
import { CommonJsExports } from './track-commonjs-exports.js';
import type { KeptExport } from './track-commonjs-exports.js';
import { canMoveParameter, PatternRewriter } from './track-patterns.js';
import type { Move } from './track-patterns.js';
import { literal, OPAQUE } from './track-texts.js';

/*
 * Access tracking, for partial-order reduction: the rewritten code reports every access to memory
 * another task could also touch (see RUNTIME_GLOBALS), or marks its step opaque where it cannot.
 * Soundness first: when in doubt, over-report or mark the step opaque.
 *
 * Almost every rewrite wraps one node in an opening and a closing text, decided when the node is
 * entered: first the wraps its parent asks for (`__rh$r(` around a member's object, `__rh$p(`
 * around an operand…), then its own (`(__rh$v(ID), ` around a shared variable…). Openings go in
 * at the node's start when it is entered (`appendRight`: outer before inner), closings at its end
 * when it is left (`appendLeft`: inner before outer), so nested wraps compose, with each other and
 * with transform.ts's gates. Destructuring patterns of parameters, `catch` and `for…of` heads move
 * to a declaration at the start of the body, where what they destructure can be reported
 * (track-patterns.ts); CommonJS export forms keep their text (track-commonjs-exports.ts).
 *
 * A report must land in the step that makes the access. Where an `await` or `yield` splits an
 * access (`o.k = await v` writes after it), the report is made again once it resumes; a loop
 * whose body suspends reports its iterable again at the end of every iteration.
 *
 * The scope analysis is in track-scopes.ts, the questions about syntax in track-syntax.ts.
 */

type FunctionNode = FunctionBase | ArrowFunctionExpression;
/** An opening and a closing text around one node. */
type Wrap = readonly [open: string, close: string];
type Close = { readonly offset: number; readonly text: string };
/** What a function's body starts with: markers (`__rh$x()`) and moved parameter patterns. */
type FunctionPlan = { readonly markers: readonly string[]; readonly moves: readonly Move[] };

const OPAQUE_WRAP: Wrap = [`(${OPAQUE}, `, ')'];
const READ_ALL: Wrap = [`${G.readAll}(`, ')'];
const TO_PRIMITIVE: Wrap = [`${G.toPrimitive}(`, ')'];
/** Expressions whose value is never a function (a class is one, but a literal class is tracked code). */
const NEVER_FUNCTIONS: ReadonlySet<string> = new Set(['ObjectExpression', 'ArrayExpression', 'ClassExpression', 'SpreadElement']);
/** Every tracking call in an inserted text (not `__rh$fn`, nor the gates of transform.ts). */
const TRACKING_CALL = new RegExp(
  `(?<![\\w$])(?:${[G.read, G.readAll, G.write, G.writeAll, G.toPrimitive, G.readVariable, G.writeVariable, G.callee, G.memberCall, G.opaque, G.argument]
    .map((name) => name.replace('$', '\\$'))
    .join('|')})\\(`,
  'g',
);

// Binary operators that never convert their operands to primitives (`in`, `instanceof` have rules of their own).
const NON_CONVERTING = new Set(['===', '!==']);
const CONVERTING_UNARY = new Set(['+', '-', '~']);
const CONVERTING_ASSIGNMENTS = new Set(['+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '>>>=', '&=', '|=', '^=']);

/**
 * The tracking rewrite of one file, as a visitor for walkAst that edits `edits` (the same
 * MagicString as transform.ts's gates). Enter it before the gate rewriter, leave it after.
 */
export class AccessTracker implements AstVisitor {
  /** How many tracking calls were inserted. */
  trackedAccesses = 0;
  private readonly parents = new Map<Node, Node>();
  // Offsets where a statement of a statement list starts: an inserted `(` there needs a `;` first.
  private readonly statementStarts = new Set<number>();
  private readonly scopes: ScopeFacts;
  private readonly plans = new Map<Node, FunctionPlan>();
  // The temps that keep the iterables of loops whose body may suspend.
  private readonly iterables = new Map<Node, string>();
  private readonly frames: Close[][] = [];
  // Nodes whose text must stay as written (see keptExport).
  private readonly verbatim = new Set<Node>();
  // The export forms of a CommonJS file (none in an ES module).
  private readonly commonJsExports: CommonJsExports | undefined;
  private readonly patterns: PatternRewriter;
  private skipping: Node | undefined;
  private temps = 0;

  constructor(
    program: NodeOf<'Program'>,
    private readonly source: string,
    private readonly edits: MagicString,
    filePath: string,
    sourceType: 'module' | 'script',
    /** Whether transform.ts gates this promise call (see promise-calls.ts): its gate then reports the lookup and the call. */
    private readonly isGatedPromiseCall: (call: Node) => boolean = (call) => promiseCallOf(call) !== undefined,
  ) {
    this.commonJsExports = sourceType === 'script' ? new CommonJsExports(source, (identifier) => this.identifierMarkers(identifier)) : undefined;
    this.patterns = new PatternRewriter(source, edits, {
      insertLeft: (offset, text) => this.insertLeft(offset, text),
      open: (offset, text) => this.open(offset, text),
      closeOnLeave: (offset, text) => this.frames[this.frames.length - 1]?.push({ offset, text }),
      countCall: () => this.trackedAccesses++,
    });
    const exports = this.indexTree(program);
    this.scopes = new ScopeFacts(program, sourceType, filePath, this.parents, exports);
  }

  enter(node: Node): void {
    if (this.skipping !== undefined) return;
    if (isValueFree(node) || this.verbatim.has(node)) {
      this.skipping = node;
      return;
    }
    const closes: Close[] = [];
    this.frames.push(closes);
    const parent = this.parents.get(node);
    if (isShorthandValue(node, parent, this.parents)) {
      this.expandShorthand(node);
    } else if (this.canWrap(node)) {
      for (const [open, close] of this.wrapsOf(node, parent)) {
        this.open(node.start, open);
        closes.push({ offset: node.end, text: close });
      }
    }
    for (const kept of this.keptExport(node)?.kept ?? []) this.verbatim.add(kept);
    this.rewriteStructure(node, closes);
  }

  leave(node: Node): void {
    if (this.skipping !== undefined) {
      if (this.skipping === node) this.skipping = undefined;
      return;
    }
    const closes = this.frames.pop() ?? [];
    for (let i = closes.length - 1; i >= 0; i--) {
      const close = closes[i];
      if (close !== undefined) this.insertLeft(close.offset, close.text);
    }
  }

  /** Records every node's parent and the statement starts; returns the export declarations. */
  private indexTree(program: Node): NodeOf<'ExportNamedDeclaration' | 'ExportDefaultDeclaration'>[] {
    const stack: Node[] = [];
    const exports: NodeOf<'ExportNamedDeclaration' | 'ExportDefaultDeclaration'>[] = [];
    walkAst(program, {
      enter: (node) => {
        const parent = stack[stack.length - 1];
        if (parent !== undefined) this.parents.set(node, parent);
        if (node.type === 'ExpressionStatement' && parent !== undefined && STATEMENT_LISTS.has(parent.type)) {
          this.statementStarts.add(node.start);
        }
        if (node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') exports.push(node);
        stack.push(node);
      },
      leave: () => {
        stack.pop();
      },
    });
    return exports;
  }

  // --- what wraps a node ---------------------------------------------------------------------

  private wrapsOf(node: Node, parent: Node | undefined): Wrap[] {
    return [...this.roleWraps(node, parent), ...this.ownWraps(node)];
  }

  /** The wraps `node` gets for its place in `parent`. */
  private roleWraps(node: Node, parent: Node | undefined): Wrap[] {
    switch (parent?.type) {
      case 'MemberExpression':
        if (node === parent.object) return this.objectWraps(parent);
        return parent.computed ? primitiveWraps(node) : [];
      case 'CallExpression':
        if (node === parent.callee) return this.calleeWraps(parent);
        // A direct eval runs its text here; a kept export form must stay as Node's lexer reads it.
        return this.isDirectEval(parent) || this.keptExport(parent) !== undefined ? [] : argumentWraps(node);
      case 'TaggedTemplateExpression':
        return node === parent.tag ? this.calleeWraps(parent) : [];
      case 'NewExpression':
        return node === parent.callee ? [[`(${G.callee}(`, '))']] : argumentWraps(node);
      case 'SpreadElement':
        return [READ_ALL];
      case 'YieldExpression':
        return parent.delegate ? [READ_ALL] : [];
      case 'ForOfStatement':
      case 'ForInStatement':
        return node === parent.right ? [this.iterableWrap(parent)] : [];
      case 'VariableDeclarator':
        return node === parent.init ? this.initializerWraps(parent) : [];
      case 'AssignmentExpression':
        return node === parent.right ? assignedValueWraps(parent) : [];
      case 'BinaryExpression':
        return operandWraps(parent, node);
      case 'UnaryExpression':
        return CONVERTING_UNARY.has(parent.operator) ? primitiveWraps(node) : [];
      case 'TemplateLiteral':
        return node.type === 'TemplateElement' || this.parents.get(parent)?.type === 'TaggedTemplateExpression'
          ? []
          : primitiveWraps(node);
      case 'Property':
      case 'MethodDefinition':
      case 'PropertyDefinition':
      case 'AccessorProperty':
        return parent.computed && node === parent.key ? primitiveWraps(node) : [];
      case 'ArrowFunctionExpression':
        return node === parent.body && parent.expression ? this.expressionBodyWraps(parent) : [];
      case 'Decorator':
        // `@a.b(c)` is all a decorator may be without parentheses: rewritten, it needs them.
        return [['(', ')']];
      case 'WithStatement':
        return node === parent.object ? [OPAQUE_WRAP] : [];
      default:
        return [];
    }
  }

  /** The wraps `node` gets for what it is. */
  private ownWraps(node: Node): Wrap[] {
    switch (node.type) {
      case 'Identifier':
        return markerWraps(this.identifierMarkers(node));
      case 'MemberExpression':
        return node.object.type === 'Super' && this.memberUse(node) === 'read' ? [OPAQUE_WRAP] : [];
      case 'CallExpression': {
        const kept = this.keptExport(node);
        if (kept === undefined) return this.isOpaqueCall(node) ? [OPAQUE_WRAP] : [];
        // A star re-export counts only as a statement of the module's top level: reported before it.
        const statement = this.parents.get(node);
        const listed = statement?.type === 'ExpressionStatement' && STATEMENT_LISTS.has(this.parents.get(statement)?.type ?? '');
        return listed && kept.markers.length > 0 ? [[`${statements(kept.markers)} `, '']] : markerWraps(kept.markers);
      }
      case 'TaggedTemplateExpression':
        return isSuperMember(unwrap(node.tag)) ? [OPAQUE_WRAP] : [];
      case 'AssignmentExpression':
        return markerWraps(this.keptExport(node)?.markers ?? this.targetMarkers(node.left));
      case 'UpdateExpression':
        return markerWraps(this.targetMarkers(node.argument));
      case 'UnaryExpression':
        return this.unaryWraps(node);
      case 'ChainExpression':
        return this.chainIsOpaque(node) ? [OPAQUE_WRAP] : [];
      case 'ImportExpression':
        return [OPAQUE_WRAP];
      case 'AwaitExpression':
      case 'YieldExpression':
        return resumptionWraps(this.resumptionMarkers(node));
      case 'JSXElement':
      case 'JSXFragment':
        // JSX compiles to calls race-hunt does not see; only the outermost element can be wrapped.
        return isJsxChild(this.parents.get(node)) ? [] : [OPAQUE_WRAP];
      default:
        return [];
    }
  }

  /** The wrap of a member's object: reports the read, write or call of the member. */
  private objectWraps(member: NodeOf<'MemberExpression'>): Wrap[] {
    if (member.object.type === 'Super') return [];
    const key = staticKey(member);
    switch (this.memberUse(member)) {
      case 'write':
        return [key === undefined ? [`${G.writeAll}(`, ')'] : [`${G.write}(`, `, ${literal(key)})`]];
      case 'call':
        // A promise call's gate (`__rh$then`) looks the method up and reports the read and the call itself.
        return this.isGatedPromiseCallee(member) ? [] : [this.memberCallWrap(member, key)];
      default:
        return [key === undefined ? READ_ALL : [`${G.read}(`, `, ${literal(key)})`]];
    }
  }

  private memberCallWrap(member: NodeOf<'MemberExpression'>, key: string | undefined): Wrap {
    // The runtime cannot look a private method up, nor a computed key: classified here, or opaque.
    if (member.property.type === 'PrivateIdentifier') return this.privateCallWrap(member, literal(key ?? ''));
    if (key === undefined) return [`(${OPAQUE}, ${G.readAll}(`, '))'];
    return [`${G.memberCall}(`, `, ${literal(key)})`];
  }

  /**
   * `o.#m(…)` → `(__rh$c(o.#m), __rh$r(o, "#m")).#m(…)`: the receiver stays `o`. Looking `o.#m` up
   * twice is harmless for `this` or a declared `o` and a field or method `#m`; otherwise opaque.
   */
  private privateCallWrap(member: NodeOf<'MemberExpression'>, key: string): Wrap {
    const { object } = member;
    const plain = object.type === 'ThisExpression' || (object.type === 'Identifier' && this.scopes.isStaticallyResolved(object));
    if (member.optional || !plain || this.isPrivateAccessor(member)) {
      return [`(${OPAQUE}, ${G.read}(`, `, ${key}))`];
    }
    const lookup = `${this.source.slice(object.start, object.end)}.${this.source.slice(member.property.start, member.property.end)}`;
    return [`(${G.callee}(${lookup}), ${G.read}(`, `, ${key}))`];
  }

  /** The wrap of a call's callee or a tag: `__rh$c(f)`, unless a member, `super` or eval. */
  private calleeWraps(call: NodeOf<'CallExpression' | 'TaggedTemplateExpression'>): Wrap[] {
    const callee = unwrap(call.type === 'CallExpression' ? call.callee : call.tag, true);
    if (callee.type === 'MemberExpression' || callee.type === 'Super') return [];
    if (this.isDirectEval(call) || this.isDynamicIdentifier(callee)) return [];
    return [[`${G.callee}(`, ')']];
  }

  private iterableWrap(loop: Node): Wrap {
    const iterable = this.iterables.get(loop);
    return iterable === undefined ? READ_ALL : [`(${iterable} = ${G.readAll}(`, '))'];
  }

  private initializerWraps(declarator: NodeOf<'VariableDeclarator'>): Wrap[] {
    const { id, init } = declarator;
    if (isPattern(id)) return [readAllWrap(id)];
    // A `var` in a loop is written anew each time; its initialiser keeps a function's inferred name.
    if (id.type !== 'Identifier' || init === null || isAnonymousFunction(init)) return [];
    return markerWraps(this.reinitialisationMarkers(id));
  }

  private expressionBodyWraps(arrow: NodeOf<'ArrowFunctionExpression'>): Wrap[] {
    const plan = this.plans.get(arrow);
    if (plan !== undefined && plan.moves.length > 0) return [['return (', ');}']];
    return [[`(${[G.functionMark, ...(plan?.markers ?? [])].join(', ')}, `, ')']];
  }

  /** What a read of `identifier` reports: a shared variable, a global, or (inside `with`) anything. */
  private identifierMarkers(identifier: NodeOf<'Identifier'>): string[] {
    const reference = this.scopes.referenceOf(identifier);
    if (reference === undefined || !reference.isRead() || reference.isWrite() || identifier.name.startsWith(RUNTIME_NAME_PREFIX)) {
      return [];
    }
    const operator = this.unaryOperatorOf(identifier);
    if (operator === 'delete') return [];
    if (this.scopes.isDynamic(reference)) {
      // Inside `with`: a call keeps its receiver (the whole call is opaque), typeof its safety.
      return operator === 'typeof' || this.isCallee(identifier) ? [] : [OPAQUE];
    }
    if (this.scopes.isUndeclared(reference)) {
      if (operator === 'typeof' || BUILTINS.has(identifier.name) || this.isEvalCallee(identifier)) return [];
      return [globalRead(identifier.name)];
    }
    const variable = reference.resolved;
    if (variable === null || !this.scopes.isShared(variable)) return [];
    return [`${G.readVariable}(${literal(this.scopes.idOf(variable))})`];
  }

  private unaryWraps(unary: NodeOf<'UnaryExpression'>): Wrap[] {
    const argument = unwrap(unary.argument);
    if (unary.operator === 'delete') {
      if (isSuperMember(argument)) return [OPAQUE_WRAP];
      return argument.type === 'Identifier' ? markerWraps(this.targetMarkers(argument)) : [];
    }
    if (unary.operator !== 'typeof' || argument.type !== 'Identifier') return [];
    // `typeof x` of a maybe-undeclared x must not throw: report around it instead.
    const reference = this.scopes.referenceOf(argument);
    if (reference === undefined) return [];
    if (this.scopes.isDynamic(reference)) return [OPAQUE_WRAP];
    const global = this.scopes.isUndeclared(reference) && !BUILTINS.has(argument.name);
    return global ? markerWraps([globalRead(argument.name)]) : [];
  }

  /** A write through `reference`: `__rh$vw(ID)` of a shared variable, opaque for unknown or exported ones. */
  private variableWriteMarkers(reference: Reference): string[] {
    if (this.scopes.isDynamic(reference) || this.scopes.isUndeclared(reference)) return [OPAQUE];
    const variable = reference.resolved;
    if (variable === null || !this.scopes.isShared(variable)) return [];
    const write = `${G.writeVariable}(${literal(this.scopes.idOf(variable))})`;
    // Importers read an exported variable without reporting it.
    return this.scopes.isExported(variable) ? [write, OPAQUE] : [write];
  }

  /** A `var` declarator that writes its variable anew (in a loop, declared twice, or inside `with`). */
  private reinitialisationMarkers(identifier: Node): string[] {
    const reference = this.scopes.referenceOf(identifier);
    if (reference === undefined) return [];
    // Inside `with`, `var x = …` may assign a property of the object.
    const writes = this.scopes.isDynamic(reference) || this.scopes.reinitialises(reference);
    return writes ? this.variableWriteMarkers(reference) : [];
  }

  /** `__rh$vw(ID)` for each shared variable a target writes, `__rh$x()` for unknown ones. */
  private targetMarkers(target: Node): string[] {
    const markers = new Set<string>();
    for (const leaf of assignmentTargets(target)) {
      if (isSuperMember(leaf)) markers.add(OPAQUE);
      if (leaf.type !== 'Identifier') continue;
      const reference = this.scopes.referenceOf(leaf);
      if (reference !== undefined) for (const marker of this.variableWriteMarkers(reference)) markers.add(marker);
    }
    return [...markers];
  }

  // --- calls, members and chains -------------------------------------------------------------

  /** What a member expression is used for, looking through parentheses and type assertions. */
  private memberUse(member: NodeOf<'MemberExpression'>): 'read' | 'write' | 'call' {
    const { node, parent } = this.climb(member);
    if (parent === undefined) return 'read';
    if (isCalleeOf(parent, node)) return 'call';
    return this.isAssignmentTarget(node, parent) ? 'write' : 'read';
  }

  private isAssignmentTarget(node: Node, parent: Node): boolean {
    switch (parent.type) {
      case 'AssignmentExpression':
      case 'AssignmentPattern':
      case 'ForInStatement':
      case 'ForOfStatement':
        return parent.left === node;
      case 'UpdateExpression':
      case 'ArrayPattern':
      case 'RestElement':
        return true;
      case 'UnaryExpression':
        return parent.operator === 'delete';
      case 'Property':
        return parent.value === node && this.parents.get(parent)?.type === 'ObjectPattern';
      default:
        return false;
    }
  }

  /** Calls whose step goes opaque: of a `super` method, direct eval, a callee resolved through `with`. */
  private isOpaqueCall(call: NodeOf<'CallExpression'>): boolean {
    const callee = unwrap(call.callee, true);
    return isSuperMember(callee) || this.isDirectEval(call) || this.isDynamicIdentifier(callee);
  }

  private isDirectEval(call: NodeOf<'CallExpression' | 'TaggedTemplateExpression'>): boolean {
    if (call.type !== 'CallExpression') return false;
    const callee = unwrap(call.callee);
    return callee.type === 'Identifier' && this.isEvalCallee(callee);
  }

  private isEvalCallee(identifier: NodeOf<'Identifier'>): boolean {
    const reference = this.scopes.referenceOf(identifier);
    const global = reference === undefined || this.scopes.isUndeclared(reference);
    return identifier.name === 'eval' && global && this.isCallee(identifier);
  }

  private isDynamicIdentifier(node: Node): boolean {
    const reference = node.type === 'Identifier' ? this.scopes.referenceOf(node) : undefined;
    return reference !== undefined && this.scopes.isDynamic(reference);
  }

  /** Whether `member` is the callee of a promise call transform.ts gates (see promise-calls.ts). */
  private isGatedPromiseCallee(member: NodeOf<'MemberExpression'>): boolean {
    const { parent } = this.climb(member, false);
    return parent !== undefined && promiseCallOf(parent)?.member === member && this.isGatedPromiseCall(parent);
  }

  private isCallee(node: Node): boolean {
    const { node: outer, parent } = this.climb(node);
    return parent !== undefined && isCalleeOf(parent, outer);
  }

  private isPrivateAccessor(member: NodeOf<'MemberExpression'>): boolean {
    const { property } = member;
    const name = property.type === 'PrivateIdentifier' ? property.name : '';
    for (let node = this.parents.get(member); node !== undefined; node = this.parents.get(node)) {
      if (node.type !== 'ClassBody') continue;
      for (const element of node.body) {
        if (!('key' in element) || element.key.type !== 'PrivateIdentifier' || element.key.name !== name) continue;
        return element.type === 'AccessorProperty' || (element.type === 'MethodDefinition' && element.kind !== 'method');
      }
    }
    return true;
  }

  /** The operator of the unary expression `node` is the operand of (through parentheses), if any. */
  private unaryOperatorOf(node: Node): string | undefined {
    const { parent } = this.climb(node, false);
    return parent?.type === 'UnaryExpression' ? parent.operator : undefined;
  }

  /** Climbs from `node` through transparent wrappers (and optional chains, unless told not to). */
  private climb(node: Node, throughChains = true): { node: Node; parent: Node | undefined } {
    let current = node;
    let parent = this.parents.get(current);
    while (parent !== undefined && (TRANSPARENT.has(parent.type) || (throughChains && parent.type === 'ChainExpression'))) {
      current = parent;
      parent = this.parents.get(current);
    }
    return { node: current, parent };
  }

  /**
   * Whether a wrap may go around `node`. Inside an optional chain, a link that contains an
   * optional link of its own can only be wrapped where `?.` follows it (`__rh$r(a?.b, "c")?.c`
   * short-circuits as `a?.b?.c` does); elsewhere the chain is marked opaque instead.
   */
  private canWrap(node: Node): boolean {
    if (!isChainLink(node) || this.chainOf(node) === undefined) return true;
    let consumer = this.parents.get(node);
    while (consumer?.type === 'TSNonNullExpression') consumer = this.parents.get(consumer);
    if (consumer?.type === 'ChainExpression') return true;
    const optional = (consumer?.type === 'MemberExpression' || consumer?.type === 'CallExpression') && consumer.optional;
    return optional || !hasOptionalLink(node);
  }

  private chainOf(link: Node): Node | undefined {
    let node = link;
    for (let parent = this.parents.get(node); parent !== undefined; parent = this.parents.get(node)) {
      if (parent.type === 'ChainExpression') return parent;
      if (!isLinkOf(parent, node)) return undefined;
      node = parent;
    }
    return undefined;
  }

  private chainIsOpaque(chain: NodeOf<'ChainExpression'>): boolean {
    for (let link: Node = chain.expression; isChainLink(link); link = innerLink(link)) {
      if (!this.canWrap(link) && this.wrapsOf(link, this.parents.get(link)).length > 0) return true;
    }
    return false;
  }

  // --- accesses an await or a yield splits ----------------------------------------------------

  /**
   * The reports of accesses that start before `suspension` and complete after it resumes, in a
   * later step (`o.k = await v` writes o.k after the await): reported again once it resumes.
   * Only values that cannot have changed meanwhile are named again; otherwise the step is opaque.
   */
  private resumptionMarkers(suspension: Node): string[] {
    const markers = new Set<string>();
    let child = suspension;
    for (let parent = this.parents.get(child); parent !== undefined && !endsExpression(parent); parent = this.parents.get(child)) {
      for (const marker of this.completionMarkers(parent, child)) markers.add(marker);
      child = parent;
    }
    return [...markers];
  }

  /** What `parent` reported before `child` and does after it. */
  private completionMarkers(parent: Node, child: Node): string[] {
    switch (parent.type) {
      case 'AssignmentExpression': {
        const markers = this.writeMarkersAfter(parent.left);
        // Inside the pattern (a default): the rest of the source is read after it.
        if (child === parent.left && isPattern(parent.left)) markers.push(OPAQUE);
        return markers;
      }
      case 'VariableDeclarator':
        return child === parent.init ? this.reinitialisationMarkers(parent.id) : [OPAQUE];
      case 'CallExpression':
      case 'NewExpression':
        return child === parent.callee ? [] : this.calleeMarkers(parent);
      case 'TaggedTemplateExpression':
        return child === parent.tag ? [] : this.calleeMarkers(parent);
      case 'BinaryExpression':
        return child === parent.right ? this.leftOperandMarkers(parent) : [];
      case 'MemberExpression':
        return parent.computed && child === parent.property ? this.computedKeyMarkers(parent) : [];
      case 'UnaryExpression':
        return parent.operator === 'delete' ? this.writeMarkersAfter(parent.argument) : [];
      case 'ImportExpression':
      case 'JSXElement':
      case 'JSXFragment':
        return [OPAQUE];
      case 'ChainExpression':
        return this.chainIsOpaque(parent) ? [OPAQUE] : [];
      default:
        return [];
    }
  }

  private writeMarkersAfter(target: Node): string[] {
    const markers = this.targetMarkers(target);
    for (const leaf of assignmentTargets(target)) {
      if (leaf.type !== 'MemberExpression' || isSuperMember(leaf)) continue;
      const object = this.stableText(leaf.object);
      const key = staticKey(leaf);
      if (object === undefined) markers.push(OPAQUE);
      else markers.push(key === undefined ? `${G.writeAll}(${object})` : `${G.write}(${object}, ${literal(key)})`);
    }
    return markers;
  }

  private calleeMarkers(call: NodeOf<'CallExpression' | 'NewExpression' | 'TaggedTemplateExpression'>): string[] {
    // A gated promise call reports its call when it is made, in whatever step that is.
    if (this.isGatedPromiseCall(call)) return [];
    const callee = unwrap(call.type === 'TaggedTemplateExpression' ? call.tag : call.callee, true);
    // A function defined right there is instrumented: it reports what it does.
    if (isFunction(callee) || callee.type === 'ClassExpression') return [];
    // `__rh$cm(o, "k").k(…)` reports the call when it is made (looking `o.k` up again would run a getter twice).
    if (callee.type === 'MemberExpression' && call.type !== 'NewExpression' && callee.property.type !== 'PrivateIdentifier') {
      if (callee.object.type !== 'Super' && staticKey(callee) !== undefined && this.memberUse(callee) === 'call') return [];
    }
    const direct = call.type === 'CallExpression' && this.isDirectEval(call);
    const name = callee.type === 'Identifier' && !direct ? this.stableText(callee) : undefined;
    return [name === undefined ? OPAQUE : `${G.callee}(${name})`];
  }

  private leftOperandMarkers(binary: NodeOf<'BinaryExpression'>): string[] {
    const { left, operator } = binary;
    if (NON_CONVERTING.has(operator) || operator === 'instanceof' || left.type === 'PrivateIdentifier') return [];
    if (isPrimitiveValued(unwrap(left))) return [];
    const value = this.stableText(left);
    return [value === undefined ? OPAQUE : `${G.toPrimitive}(${value})`];
  }

  private computedKeyMarkers(member: NodeOf<'MemberExpression'>): string[] {
    switch (this.memberUse(member)) {
      case 'read': {
        const object = this.stableText(member.object);
        return [object === undefined ? OPAQUE : `${G.readAll}(${object})`];
      }
      case 'call':
        return [OPAQUE];
      default:
        // The assignment or delete around it reports the write.
        return [];
    }
  }

  /** The text of `this` or of an identifier nothing reassigns: it names the same value in every step. */
  private stableText(node: Node): string | undefined {
    if (node.type === 'ThisExpression') return 'this';
    return node.type === 'Identifier' && this.scopes.isStable(node) ? node.name : undefined;
  }

  /** The CommonJS export form `node` is, if it is one (see track-commonjs-exports.ts). */
  private keptExport(node: Node): KeptExport | undefined {
    return this.commonJsExports?.keptExport(node);
  }

  // --- functions, loops and catch clauses ------------------------------------------------------

  private rewriteStructure(node: Node, closes: Close[]): void {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.enterFunction(node);
        break;
      case 'ForOfStatement':
      case 'ForInStatement':
        this.enterLoop(node, closes);
        break;
      case 'CatchClause':
        this.enterCatch(node, closes);
        break;
      default:
        break;
    }
  }

  private enterFunction(fn: FunctionNode): void {
    const { body } = fn;
    if (body === null) return;
    const plan = this.planFunction(fn);
    this.plans.set(fn, plan);
    if (body.type === 'BlockStatement') {
      const directives = body.body.filter((statement) => 'directive' in statement && typeof statement.directive === 'string');
      const last = directives[directives.length - 1];
      const at = last === undefined ? body.start + 1 : last.end;
      // A directive without a semicolon of its own needs one before the prologue.
      const separator = last === undefined || this.source.charAt(last.end - 1) === ';' ? '' : ';';
      this.insertLeft(at, `${separator}${statements([G.functionMark, ...plan.markers])}`);
      for (const move of plan.moves) this.patterns.move(move, at, 'var ');
    } else if (plan.moves.length > 0) {
      this.insertLeft(body.start, `{${statements([G.functionMark, ...plan.markers])}`);
      for (const move of plan.moves) this.patterns.move(move, body.start, 'var ');
    }
  }

  /**
   * Parameters that are patterns read the argument: moved into the body as `var PATTERN =
   * __rh$ra(__rh$pN)`. That changes the order of evaluation only where later parameters have
   * defaults, a generator's body runs later, or a name in the pattern is declared in the body:
   * there the step is marked opaque instead.
   */
  private planFunction(fn: FunctionNode): FunctionPlan {
    const markers = new Set<string>();
    const moves: Move[] = [];
    fn.params.forEach((param, index) => {
      const target = param.type === 'AssignmentPattern' ? param.left : param;
      if (target.type === 'RestElement') {
        if (isPattern(target.argument)) markers.add(OPAQUE);
      } else if (isPattern(target)) {
        if (fn.generator && this.patterns.markOpaqueAtCall(target)) return;
        if (fn.generator || hasLaterDefault(fn.params, index) || !canMoveParameter(fn, index, target, this.scopes.bodyDeclarations(fn))) {
          markers.add(OPAQUE);
          return;
        }
        if (hasNestedPattern(target)) markers.add(OPAQUE);
        moves.push({ pattern: target, temp: this.temp('p') });
      }
    });
    if (this.scopes.usesSloppyArguments(fn)) markers.add(OPAQUE);
    return { markers: [...markers], moves };
  }

  private enterLoop(loop: NodeOf<'ForOfStatement' | 'ForInStatement'>, closes: Close[]): void {
    const { left } = loop;
    const declaration = left.type === 'VariableDeclaration' ? left : undefined;
    const target = declaration?.declarations[0]?.id ?? left;
    // Each iteration writes the head's variables: reported where the body starts, in that step.
    const markers = new Set(declaration === undefined || declaration.kind === 'var' ? this.targetMarkers(target) : []);
    // An element of for…of is read by the head's pattern (a key of for…in is a string).
    const pattern = loop.type === 'ForOfStatement' && isPattern(target) ? target : undefined;
    if (pattern !== undefined && hasNestedPattern(pattern)) markers.add(OPAQUE);
    // Each step the loop resumes in reads the iterable again, for the next element: reported by a
    // `finally` that ends every iteration, in the step that goes on to the next one.
    const suspends = (loop.type === 'ForOfStatement' && loop.await) || maySuspendIn(loop.body);
    const iterable = suspends ? this.temp('i') : undefined;
    if (iterable !== undefined) this.iterables.set(loop, iterable);
    if (markers.size === 0 && pattern === undefined && iterable === undefined) return;
    const open = iterable === undefined ? '{' : `{var ${iterable}; try {`;
    this.insertLeft(loop.body.start, `${open}${statements([...markers])}`);
    if (pattern !== undefined) {
      const move = { pattern, temp: this.temp('e') };
      if (declaration === undefined) this.patterns.moveAssignment(move, loop.body.start);
      else this.patterns.move(move, loop.body.start, `${declaration.kind} `);
    }
    const close = iterable === undefined ? '}' : `} finally {${G.readAll}(${iterable});}}`;
    closes.push({ offset: loop.body.end, text: close });
  }

  private enterCatch(clause: NodeOf<'CatchClause'>, closes: Close[]): void {
    const { param, body } = clause;
    if (param === null || !isPattern(param)) return;
    this.insertLeft(body.start, `{${hasNestedPattern(param) ? statements([OPAQUE]) : ''}`);
    this.patterns.move({ pattern: param, temp: this.temp('e') }, body.start, 'let ');
    closes.push({ offset: body.end, text: '}' });
  }

  // --- text ------------------------------------------------------------------------------------

  /** `{ x }` → `{ x: (__rh$v(ID), x) }` when a read of `x` reports something. */
  private expandShorthand(value: NodeOf<'Identifier'>): void {
    const markers = this.identifierMarkers(value);
    if (markers.length > 0) this.insertLeft(value.end, `: (${markers.join(', ')}, ${this.source.slice(value.start, value.end)})`);
  }

  /** Opens a wrap at `offset`, keeping it off the previous statement and a preceding identifier. */
  private open(offset: number, text: string): void {
    const firstAtStatement = this.statementStarts.delete(offset);
    let prefix = '';
    if (firstAtStatement && (text.startsWith('(') || text.startsWith('['))) prefix = ';';
    else if (IDENTIFIER_CHAR.test(this.source.charAt(offset - 1)) && IDENTIFIER_CHAR.test(text.charAt(0))) prefix = ' ';
    this.edits.appendRight(offset, prefix + text);
    this.count(text);
  }

  private insertLeft(offset: number, text: string): void {
    this.edits.appendLeft(offset, text);
    this.count(text);
  }

  private count(text: string): void {
    this.trackedAccesses += text.match(TRACKING_CALL)?.length ?? 0;
  }

  /** A fresh temp's name: `__rh$` and `kind` (`p` a parameter, `e` an element, `i` an iterable) and a count. */
  private temp(kind: string): string {
    return `${RUNTIME_NAME_PREFIX}${kind}${this.temps++}`;
  }
}

// --- texts ---------------------------------------------------------------------------------

const statements = (expressions: readonly string[]): string => expressions.map((expression) => `${expression};`).join(' ');

const globalRead = (name: string): string => `${G.read}(globalThis, ${literal(name)})`;

/** `[await x, …markers][0]`: the markers run once the suspension resumes, and the value is kept. */
function resumptionWraps(markers: readonly string[]): Wrap[] {
  return markers.length === 0 ? [] : [['[', `, ${markers.join(', ')}][0]`]];
}

function markerWraps(markers: readonly string[]): Wrap[] {
  return markers.length === 0 ? [] : [[`(${markers.join(', ')}, `, ')']];
}

/**
 * A call's argument that may be a function: whoever receives it may call it later, in another
 * step, out of race-hunt's sight (`p.then(f)`, `setTimeout(f)`), so the runtime checks that it
 * is tracked code. Literal functions and classes are this file's own, tracked.
 */
function argumentWraps(node: Node): Wrap[] {
  const value = unwrap(node);
  if (isPrimitiveValued(value) || isFunction(value) || NEVER_FUNCTIONS.has(value.type)) return [];
  return [[`${G.argument}(`, ')']];
}

function primitiveWraps(node: Node): Wrap[] {
  return isPrimitiveValued(unwrap(node)) ? [] : [TO_PRIMITIVE];
}

/**
 * What a destructuring source gets: read in full, and opaque if nested objects are read too (as an
 * extra argument, so that it runs after the source, which may await, in the step that reads).
 */
function readAllWrap(pattern: Node): Wrap {
  return hasNestedPattern(pattern) ? [`${G.readAll}(`, `, ${OPAQUE})`] : READ_ALL;
}

function assignedValueWraps(assignment: NodeOf<'AssignmentExpression'>): Wrap[] {
  if (assignment.operator === '=') return isPattern(assignment.left) ? [readAllWrap(assignment.left)] : [];
  return CONVERTING_ASSIGNMENTS.has(assignment.operator) ? primitiveWraps(assignment.right) : [];
}

function operandWraps(binary: NodeOf<'BinaryExpression'>, operand: Node): Wrap[] {
  const { left, operator } = binary;
  if (operator === 'in') {
    if (operand === left) return left.type === 'PrivateIdentifier' ? [] : primitiveWraps(operand);
    return left.type === 'PrivateIdentifier' ? [[`${G.read}(`, `, ${literal(`#${left.name}`)})`]] : [READ_ALL];
  }
  if (operator === 'instanceof') return operand === left ? [] : [[`${G.read}(`, ', "prototype")']];
  // `x == null` compares without converting x.
  const other = operand === left ? binary.right : left;
  if ((operator === '==' || operator === '!=') && isNullish(unwrap(other))) return [];
  return NON_CONVERTING.has(operator) ? [] : primitiveWraps(operand);
}

// `null` or `void 0` (a name `undefined` may be anything).
const isNullish = (node: Node): boolean =>
  (node.type === 'Literal' && node.value === null && !('regex' in node)) || (node.type === 'UnaryExpression' && node.operator === 'void');
