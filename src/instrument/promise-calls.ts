import type { Node } from 'oxc-parser';
import { hasOptionalLink, staticKey, unwrap } from './track-syntax.js';
import type { NodeOf } from './track-syntax.js';

/** The promise methods whose callbacks run as promise reactions: each invocation is a scheduling point. */
export type PromiseMethod = 'then' | 'catch' | 'finally';

const PROMISE_METHODS: ReadonlySet<string> = new Set<PromiseMethod>(['then', 'catch', 'finally']);

/** A call `E.then(…)` (or `catch`, `finally`) that the gates rewrite, and the parts they need. */
export interface PromiseCall {
  readonly call: NodeOf<'CallExpression'>;
  /** The callee, `E.then`: its object `E` is what the gate call wraps. */
  readonly member: NodeOf<'MemberExpression'>;
  readonly key: PromiseMethod;
}

/**
 * `call` as a promise call the gates rewrite, or `undefined`. Both rewriters ask this (transform.ts
 * inserts the gate; with tracking, track-accesses.ts leaves the member call to the gate, which
 * reports it), so they always agree.
 *
 * Rewritten: `E.then(…)`, `E.catch(…)`, `E.finally(…)` with at least one argument, also written
 * `E?.then(…)`, `E.then?.(…)`, `E["then"](…)`, `(E.then)(…)` or `E.then!(…)`. Left alone: `super.then(…)`,
 * computed keys that are not string literals, and `a?.b.then(…)`, where an optional link inside `E`
 * belongs to the same chain (wrapping `E` in a call would end the chain there: `a` nullish would
 * then throw instead of short-circuiting the call).
 */
export function promiseCallOf(call: Node): PromiseCall | undefined {
  if (call.type !== 'CallExpression' || call.arguments.length === 0) return undefined;
  const member = unwrap(call.callee);
  if (member.type !== 'MemberExpression' || member.object.type === 'Super') return undefined;
  if (member.property.type === 'PrivateIdentifier') return undefined;
  if (member.computed && unwrap(member.property).type !== 'Literal') return undefined;
  const key = staticKey(member);
  if (key === undefined || !PROMISE_METHODS.has(key)) return undefined;
  if (hasOptionalLink(member.object)) return undefined;
  return { call, member, key: key as PromiseMethod };
}
