import type { Node } from 'oxc-parser';

/** What the walker knows about the code around a node. */
export interface WalkContext {
  /**
   * Whether the nearest enclosing function is an `async function*` (or async generator method).
   * A nested function of any other kind resets it, because `yield` belongs to the nearest function.
   */
  readonly inAsyncGenerator: boolean;
}

/** Callbacks for {@link walkAst}. `leave` runs after all of the node's descendants were visited. */
export interface AstVisitor {
  enter(node: Node, context: WalkContext): void;
  leave(node: Node, context: WalkContext): void;
}

const TOP_LEVEL: WalkContext = { inAsyncGenerator: false };
const IN_ASYNC_GENERATOR: WalkContext = { inAsyncGenerator: true };

type Frame = { readonly node: Node; readonly context: WalkContext; readonly leaving: boolean };

/**
 * Visits every node under `root` in source order, depth first.
 *
 * Why generic: children are found by looking at every property that holds an object or an
 * array (except `parent`), not by a per-node-type key table, so new or rare node kinds
 * (decorators, TypeScript-only wrappers, JSX, `import.defer`…) can never hide an `await`.
 * The walk uses an explicit stack so that deeply nested code (long `a + b + …` chains)
 * cannot overflow the call stack of Node's loader thread.
 */
export function walkAst(root: Node, visitor: AstVisitor): void {
  const stack: Frame[] = [{ node: root, context: TOP_LEVEL, leaving: false }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { node, context } = frame;
    if (frame.leaving) {
      visitor.leave(node, context);
      continue;
    }
    visitor.enter(node, context);
    stack.push({ node, context, leaving: true });
    const inner = contextInside(node, context);
    const children: Node[] = [];
    collectNodes(node, children);
    // Pushed in reverse so they pop (and are entered) in source order.
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child !== undefined) stack.push({ node: child, context: inner, leaving: false });
    }
  }
}

/** The context for a node's children: entering any function decides anew. */
function contextInside(node: Node, outer: WalkContext): WalkContext {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'TSDeclareFunction':
    case 'TSEmptyBodyFunctionExpression':
      return node.async && node.generator ? IN_ASYNC_GENERATOR : TOP_LEVEL;
    case 'ArrowFunctionExpression':
      return TOP_LEVEL;
    default:
      return outer;
  }
}

/** Appends to `out` the nodes directly below `container`, looking through plain objects and arrays. */
function collectNodes(container: object, out: Node[]): void {
  for (const [key, value] of Object.entries(container)) {
    if (key === 'parent' || value === null || typeof value !== 'object') continue;
    collectFrom(value as object, out);
  }
}

function collectFrom(value: object, out: Node[]): void {
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (item !== null && typeof item === 'object') collectFrom(item, out);
    }
  } else if (isNode(value)) {
    out.push(value);
  } else {
    collectNodes(value, out);
  }
}

function isNode(value: object): value is Node {
  return typeof (value as { type?: unknown }).type === 'string';
}
