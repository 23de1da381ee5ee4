import type { Node } from 'oxc-parser';
import { walkAst } from './ast-walk.js';

// What access tracking (track-accesses.ts) asks of the syntax tree: pure questions about nodes.

export type NodeOf<T extends Node['type']> = Extract<Node, { type: T }>;
export type Pattern = NodeOf<'ObjectPattern' | 'ArrayPattern'>;

// TypeScript nodes that hold run-time code; every other TS node is types only.
const TS_VALUE_NODES = new Set([
  'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression',
  'TSParameterProperty', 'TSExportAssignment', 'TSModuleDeclaration', 'TSModuleBlock',
]);
// Declarations without run-time code of their own (or, for specifiers, with nothing to rewrite).
const VALUE_FREE = new Set(['ImportDeclaration', 'ExportAllDeclaration', 'ExportSpecifier']);
// Wrappers that leave an expression's reference (and a call's receiver) as it is.
export const TRANSPARENT = new Set([
  'ParenthesizedExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion',
  'TSInstantiationExpression',
]);
export const STATEMENT_LISTS = new Set(['Program', 'BlockStatement', 'StaticBlock', 'SwitchCase', 'TSModuleBlock']);

/** Nodes whose subtree holds no run-time code to rewrite: types, ambient declarations, import/export lists. */
export function isValueFree(node: Node): boolean {
  if (VALUE_FREE.has(node.type)) return true;
  if ('declare' in node && node.declare === true) return true;
  if (node.type === 'ExportNamedDeclaration' && node.exportKind === 'type') return true;
  // Enums are left alone: their members refer to each other in ways only the compiler resolves.
  return node.type.startsWith('TS') && !TS_VALUE_NODES.has(node.type);
}

/** The property key a member reads, when it is known: `o.k`, `o.#k`, `o["k"]`, `o[0]`. */
export function staticKey(member: NodeOf<'MemberExpression'>): string | undefined {
  const { property } = member;
  if (property.type === 'PrivateIdentifier') return `#${property.name}`;
  if (!member.computed) return property.type === 'Identifier' ? property.name : undefined;
  const key = unwrap(property);
  if (key.type !== 'Literal') return undefined;
  return typeof key.value === 'string' || typeof key.value === 'number' ? String(key.value) : undefined;
}

/** Looks through parentheses and type assertions (and optional chains, when told to). */
export function unwrap(node: Node, throughChains = false): Node {
  let current = node;
  for (;;) {
    if (TRANSPARENT.has(current.type) || (throughChains && current.type === 'ChainExpression')) {
      current = (current as { expression: Node }).expression;
    } else {
      return current;
    }
  }
}

export function isCalleeOf(parent: Node, node: Node): boolean {
  return (parent.type === 'CallExpression' && parent.callee === node) || (parent.type === 'TaggedTemplateExpression' && parent.tag === node);
}

/** Where the ancestors of a suspension stop being part of its expression. */
export const endsExpression = (node: Node): boolean =>
  isFunction(node) ||
  /Statement$|Declaration$|^(Program|SwitchCase|CatchClause|ClassBody|StaticBlock|PropertyDefinition|AccessorProperty|MethodDefinition)$/.test(node.type);

export const isNamed = (node: Node, name: string): boolean => node.type === 'Identifier' && node.name === name;

/** `exports` or `module.exports`, as cjs-module-lexer recognises them. */
export const isExportsObject = (node: Node): boolean => isNamed(node, 'exports') || isModuleExports(node);

/** `require("x")`, a form cjs-module-lexer reads re-exports from. */
export function isRequireCall(node: Node): boolean {
  if (node.type !== 'CallExpression' || !isNamed(node.callee, 'require') || node.arguments.length !== 1) return false;
  const [specifier] = node.arguments;
  return specifier?.type === 'Literal' && typeof specifier.value === 'string';
}

export const isModuleExports = (node: Node): boolean =>
  node.type === 'MemberExpression' && !node.computed && isNamed(node.object, 'module') && isNamed(node.property, 'exports');

export const isSuperMember = (node: Node): boolean => node.type === 'MemberExpression' && node.object.type === 'Super';

export const isPattern = (node: Node): node is Pattern => node.type === 'ObjectPattern' || node.type === 'ArrayPattern';

export function isPrimitiveValued(node: Node): boolean {
  switch (node.type) {
    case 'Literal':
    case 'TemplateLiteral':
    case 'UnaryExpression':
    case 'BinaryExpression':
    case 'UpdateExpression':
      return true;
    default:
      return false;
  }
}

/** `function () {}`, `() => {}`, `class {}`: their name comes from where they are assigned. */
export function isAnonymousFunction(node: Node): boolean {
  const inner = unwrap(node);
  switch (inner.type) {
    case 'ArrowFunctionExpression':
      return true;
    case 'FunctionExpression':
    case 'ClassExpression':
      return inner.id === null;
    default:
      return false;
  }
}

export function isShorthandValue(node: Node, parent: Node | undefined, parents: ReadonlyMap<Node, Node>): node is NodeOf<'Identifier'> {
  return (
    node.type === 'Identifier' &&
    parent?.type === 'Property' &&
    parent.shorthand &&
    parent.value === node &&
    parents.get(parent)?.type === 'ObjectExpression'
  );
}

export const isJsxChild = (parent: Node | undefined): boolean =>
  parent?.type === 'JSXElement' || parent?.type === 'JSXFragment' || parent?.type === 'JSXAttribute';

export const isChainLink = (node: Node): boolean =>
  node.type === 'MemberExpression' || node.type === 'CallExpression' || node.type === 'TSNonNullExpression';

/** Whether `node` is the next link of an optional chain below `parent`. */
export function isLinkOf(parent: Node, node: Node): boolean {
  switch (parent.type) {
    case 'MemberExpression':
      return parent.object === node;
    case 'CallExpression':
      return parent.callee === node;
    case 'TSNonNullExpression':
      return true;
    default:
      return false;
  }
}

export function innerLink(link: Node): Node {
  switch (link.type) {
    case 'MemberExpression':
      return link.object;
    case 'CallExpression':
      return link.callee;
    case 'TSNonNullExpression':
      return link.expression;
    default:
      return link;
  }
}

/** Whether `link` or a link below it (in the same chain) is optional. */
export function hasOptionalLink(link: Node): boolean {
  for (let node = link; isChainLink(node); node = innerLink(node)) {
    if ((node.type === 'MemberExpression' || node.type === 'CallExpression') && node.optional) return true;
  }
  return false;
}

/** The identifiers and members a destructuring target (or plain target) assigns. */
export function assignmentTargets(node: Node): Node[] {
  const target = unwrap(node);
  switch (target.type) {
    case 'ObjectPattern':
      return target.properties.flatMap((property) => assignmentTargets(property.type === 'Property' ? property.value : property));
    case 'ArrayPattern':
      return target.elements.flatMap((element) => (element === null ? [] : assignmentTargets(element)));
    case 'AssignmentPattern':
      return assignmentTargets(target.left);
    case 'RestElement':
      return assignmentTargets(target.argument);
    default:
      return [target];
  }
}

/** Whether a pattern holds another pattern (which reads a nested object without reporting it). */
export function hasNestedPattern(pattern: Node): boolean {
  return directTargets(pattern).some(isPattern);
}

function directTargets(pattern: Node): Node[] {
  switch (pattern.type) {
    case 'ObjectPattern':
      return pattern.properties.map((property) => (property.type === 'Property' ? stripDefault(property.value) : property.argument));
    case 'ArrayPattern':
      return pattern.elements.flatMap((element) => {
        if (element === null) return [];
        return [element.type === 'RestElement' ? element.argument : stripDefault(element)];
      });
    default:
      return [];
  }
}

/** Whether the code of `node`, outside the functions in it, can suspend (await, yield). */
export function maySuspendIn(node: Node): boolean {
  let functions = 0;
  let suspends = false;
  walkAst(node, {
    enter: (inner) => {
      if (isFunction(inner)) functions++;
      else if (functions === 0 && isSuspension(inner)) suspends = true;
    },
    leave: (inner) => {
      if (isFunction(inner)) functions--;
    },
  });
  return suspends;
}

export const isFunction = (node: Node): boolean =>
  node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';

function isSuspension(node: Node): boolean {
  switch (node.type) {
    case 'AwaitExpression':
    case 'YieldExpression':
      return true;
    case 'ForOfStatement':
      return node.await;
    case 'VariableDeclaration':
      return node.kind === 'await using';
    default:
      return false;
  }
}

const stripDefault = (node: Node): Node => (node.type === 'AssignmentPattern' ? node.left : node);

export function hasLaterDefault(params: readonly Node[], index: number): boolean {
  return params.slice(index + 1).some((param) => {
    const inner = param.type === 'TSParameterProperty' ? param.parameter : param;
    return inner.type === 'AssignmentPattern';
  });
}

/** Every identifier name inside `node` (bindings, keys and references alike). */
export function identifierNames(node: Node): string[] {
  const names: string[] = [];
  walkAst(node, {
    enter: (inner) => {
      if (inner.type === 'Identifier') names.push(inner.name);
    },
    leave: () => undefined,
  });
  return names;
}
