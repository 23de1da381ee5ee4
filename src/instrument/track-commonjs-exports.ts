import type { Node } from 'oxc-parser';
import { RUNTIME_GLOBALS as G } from './runtime-names.js';
import { isExportsObject, isModuleExports, isNamed, isRequireCall, staticKey, unwrap } from './track-syntax.js';
import type { NodeOf } from './track-syntax.js';
import { literal, OPAQUE } from './track-texts.js';

/** A CommonJS export form kept as written: the nodes whose text must stay, and what is reported in front of it. */
export interface KeptExport {
  readonly kept: readonly Node[];
  readonly markers: readonly string[];
}

/**
 * In CommonJS, the forms Node's cjs-module-lexer reads export names from (so that ES modules can
 * import them by name) keep their text, reported in front instead: `exports.k = …`, `module.exports
 * = { a, b: c }`, `Object.defineProperty(exports, …)`, `require("x")`, `__exportStar(require("x"))`.
 * Part of the tracking rewrite of one CommonJS file (track-accesses.ts).
 */
export class CommonJsExports {
  constructor(
    private readonly source: string,
    /** What a read of a variable reports, as the tracker reports it anywhere else. */
    private readonly identifierMarkers: (identifier: NodeOf<'Identifier'>) => string[],
  ) {}

  /** The export form `node` is, if it is one. */
  keptExport(node: Node): KeptExport | undefined {
    if (node.type === 'AssignmentExpression') return node.operator === '=' ? this.keptExportAssignment(node) : undefined;
    if (node.type !== 'CallExpression') return undefined;
    const { callee, arguments: args } = node;
    const first = args[0];
    if (callee.type === 'MemberExpression' && isNamed(callee.object, 'Object') && isNamed(callee.property, 'defineProperty')) {
      return first !== undefined && isExportsObject(first) ? { kept: [callee, ...args], markers: [OPAQUE] } : undefined;
    }
    if (isRequireCall(node)) return { kept: [callee], markers: [] };
    if (isNamed(callee, '__export') || isNamed(callee, '__exportStar')) {
      return { kept: [callee], markers: [`${G.callee}(${this.source.slice(callee.start, callee.end)})`] };
    }
    return undefined;
  }

  private keptExportAssignment(assignment: NodeOf<'AssignmentExpression'>): { kept: Node[]; markers: string[] } | undefined {
    const { left, right } = assignment;
    if (left.type !== 'MemberExpression') return undefined;
    if (isModuleExports(left)) {
      const literalExports = right.type === 'ObjectExpression' ? this.keptExportNames(right) : { kept: [], markers: [] };
      return { kept: [left, ...literalExports.kept], markers: [...literalExports.markers, `${G.write}(module, "exports")`] };
    }
    const key = staticKey(left);
    if (!isExportsObject(left.object) || key === undefined || (left.computed && unwrap(left.property).type !== 'Literal')) return undefined;
    const object = left.object.type === 'Identifier' ? 'exports' : `${G.read}(module, "exports").exports`;
    return { kept: [left], markers: [`${G.write}(${object}, ${literal(key)})`] };
  }

  /** The leading `a`, `b: c`, `'d': e`, `...f` of `module.exports = {…}`, kept as written. */
  private keptExportNames(object: NodeOf<'ObjectExpression'>): { kept: Node[]; markers: string[] } {
    const kept: Node[] = [];
    const markers: string[] = [];
    for (const property of object.properties) {
      const value = property.type === 'SpreadElement' ? property.argument : property.value;
      if (property.type === 'SpreadElement' && isRequireCall(value)) {
        // `...require("x")`, a re-export: the module it loads, loaded first (only names are read before it).
        kept.push(value);
        markers.push(`${G.readAll}(${this.source.slice(value.start, value.end)})`);
        continue;
      }
      const simple = property.type === 'SpreadElement' || (!property.computed && property.kind === 'init' && !property.method);
      if (!simple || value.type !== 'Identifier') break;
      kept.push(value);
      markers.push(...this.identifierMarkers(value));
      if (property.type === 'SpreadElement') markers.push(`${G.readAll}(${value.name})`);
    }
    return { kept, markers };
  }
}
