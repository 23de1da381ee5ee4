import { runInNode } from './run-in-node.mjs';

// A timer converted to a primitive (its id) can be cleared by that id, as a number or as the
// same string; clearInterval clears a timeout too; other numbers and strings clear nothing.
export function main(seen) {
  const fired = [];
  const a = setTimeout(() => fired.push('a'), 10);
  const b = setTimeout(() => fired.push('b'), 10);
  const c = setInterval(() => fired.push('c'), 10);
  const d = setTimeout(() => fired.push('d'), 10);
  const e = setTimeout(() => fired.push('e'), 10);
  const f = setTimeout(() => fired.push('f'), 10);
  seen.id = { isNumber: typeof +a === 'number', stable: +a === +a, distinct: new Set([+a, +b, +c, +d, +e, +f]).size === 6, template: `${a}` === String(+a) };
  clearTimeout(+a);
  clearTimeout(`${b}`);
  clearInterval(+c);
  clearInterval(+d);
  clearTimeout(`${+e}.0`); // not the same string: e fires
  clearTimeout(+f + 1000); // no timer's id: f fires
  setTimeout(() => (seen.fired = fired), 50);
}

runInNode(import.meta.url, main);
