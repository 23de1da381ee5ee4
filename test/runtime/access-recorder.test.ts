import { describe, expect, it } from 'vitest';
import { conflicts } from '../../src/core/footprint.js';
import type { Footprint } from '../../src/core/footprint.js';
import { AccessRecorder } from '../../src/runtime/access-recorder.js';
import { EffectTable } from '../../src/runtime/native-effects.js';

/** Runs `fn` as one step of a fresh, active recorder and returns its footprint. */
function step(recorder: AccessRecorder, fn: (r: AccessRecorder) => void): Footprint {
  recorder.active = true;
  fn(recorder);
  return recorder.takeFootprint();
}

describe('AccessRecorder', () => {
  it('names objects in the order it first meets them, and steps that share an object conflict', () => {
    const r = new AccessRecorder(true);
    const shared = { a: 1, b: 2 };
    const reads = step(r, (s) => s.read(shared, 'a'));
    const writesA = step(r, (s) => s.write(shared, 'a'));
    const writesB = step(r, (s) => s.write(shared, 'b'));
    expect([...reads.reads]).toEqual(['o0.a']);
    expect(conflicts(reads, writesA)).toBe(true);
    expect(conflicts(reads, writesB)).toBe(false);
  });

  it('reads an inherited property on every prototype up to its owner, so a write there conflicts', () => {
    const r = new AccessRecorder(true);
    const proto = { shared: 1 };
    const child = Object.create(proto) as { shared: number };
    const reader = step(r, (s) => s.read(child, 'shared'));
    expect([...reader.reads]).toEqual(['o0.shared', 'o1.shared']);
    expect(conflicts(reader, step(r, (s) => s.write(proto, 'shared')))).toBe(true);
    // Setting the prototype changes every inherited read.
    expect(conflicts(reader, step(r, (s) => s.write(child, '__proto__')))).toBe(true);
  });

  it('counts every property of a proxy, without running its traps', () => {
    const r = new AccessRecorder(true);
    let traps = 0;
    const proxy = new Proxy({}, { getOwnPropertyDescriptor: () => (traps++, undefined), getPrototypeOf: () => (traps++, null) });
    expect([...step(r, (s) => s.read(proxy, 'k')).reads]).toEqual(['o0.*']);
    expect(traps).toBe(0);
  });

  it('records nothing outside an active step, and ignores primitives', () => {
    const r = new AccessRecorder(true);
    r.read({ a: 1 }, 'a');
    r.markStepOpaque();
    const footprint = step(r, (s) => s.read('text', 'length'));
    expect(footprint).toEqual({ reads: new Set(), writes: new Set(), opaque: false });
  });

  it('an opaque step conflicts with everything; code it cannot see makes every later step opaque', () => {
    const r = new AccessRecorder(true);
    expect(step(r, (s) => s.markStepOpaque()).opaque).toBe(true);
    expect(step(r, () => {}).opaque).toBe(false);
    step(r, (s) => s.markOpaqueFromNowOn());
    expect(step(r, () => {}).opaque).toBe(true);
    expect(step(new AccessRecorder(false), () => {}).opaque).toBe(true);
  });
});

describe('EffectTable', () => {
  const table = new EffectTable(new Map());

  it('models the built-ins a step calls most', () => {
    expect(table.effectOf(Array.prototype.push as never)).toBe('writeReceiver');
    expect(table.effectOf(Array.prototype.includes as never)).toBe('readReceiver');
    expect(table.effectOf(Map.prototype.get as never)).toBe('readReceiver');
    expect(table.effectOf(Map.prototype.set as never)).toBe('writeReceiver');
    expect(table.effectOf(Promise.prototype.then as never)).toBe('writeReceiver');
    expect(table.effectOf(Promise.resolve as never)).toBe('none');
    expect(table.effectOf(JSON.stringify as never)).toBe('readEverything');
    expect(table.effectOf(Object.assign as never)).toBe('opaqueStep');
    // Called another way than `Promise.race(…)`, which tracking-globals redirects: not followed.
    expect(table.effectOf(Promise.race as never)).toBe('unknown');
  });

  it('tells tracked functions, resolve functions and everything else apart', () => {
    const tracked = new Function('__rh$fn; return 1;') as () => unknown;
    let resolve: (value: unknown) => void = () => {};
    void new Promise((r) => (resolve = r));
    expect(table.effectOf(tracked)).toBe('user');
    expect(table.effectOf(resolve as never)).toBe('settle');
    expect(table.effectOf((() => 1) as never)).toBe('unknown');
    expect(table.effectOf(Math.max.bind(Math) as never)).toBe('unknown');
  });
});
