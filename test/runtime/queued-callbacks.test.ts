import { afterEach, describe, expect, it } from 'vitest';
import { installCallbackCounting, ownNextTick, queuedMicrotasks, queuedTicks, uninstallCallbackCounting } from '../../src/runtime/queued-callbacks.js';

const realNextTick = process.nextTick;
const realQueueMicrotask = globalThis.queueMicrotask;

describe('queued-callbacks', () => {
  afterEach(() => uninstallCallbackCounting());

  it('counts user ticks and microtasks until they run, passing arguments through', async () => {
    installCallbackCounting();
    const seen: unknown[] = [];
    process.nextTick((a: unknown, b: unknown) => seen.push(['tick', a, b]), 1, 2);
    queueMicrotask(() => seen.push('micro'));
    expect([queuedTicks(), queuedMicrotasks()]).toEqual([1, 1]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([queuedTicks(), queuedMicrotasks()]).toEqual([0, 0]);
    expect(seen).toEqual(['micro', ['tick', 1, 2]]);
  });

  it('does not count race-hunt’s own ticks', async () => {
    installCallbackCounting();
    let ran = false;
    ownNextTick(() => (ran = true));
    expect(queuedTicks()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toBe(true);
  });

  it('restores the real functions, and a callback from before a reinstall does not uncount the new session', async () => {
    installCallbackCounting();
    process.nextTick(() => {});
    uninstallCallbackCounting();
    expect(process.nextTick).toBe(realNextTick);
    expect(globalThis.queueMicrotask).toBe(realQueueMicrotask);
    installCallbackCounting();
    process.nextTick(() => {});
    expect(queuedTicks()).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queuedTicks()).toBe(0);
  });

  it('keeps counting when other code saves the functions and puts them back mid-session (vitest does, around its RPC)', async () => {
    installCallbackCounting();
    const saved = process.nextTick;
    process.nextTick = realNextTick;
    globalThis.queueMicrotask = realQueueMicrotask;
    process.nextTick(() => {});
    queueMicrotask(() => {});
    expect([queuedTicks(), queuedMicrotasks()]).toEqual([1, 1]);
    process.nextTick = saved;
    await new Promise((resolve) => setImmediate(resolve));
    uninstallCallbackCounting();
    // What was assigned last is what stays, never the counting function itself.
    expect(process.nextTick).toBe(realNextTick);
    expect(globalThis.queueMicrotask).toBe(realQueueMicrotask);
  });

  it('leaves argument errors to Node', () => {
    installCallbackCounting();
    expect(() => process.nextTick(42 as unknown as () => void)).toThrow(TypeError);
    expect(() => queueMicrotask(42 as unknown as () => void)).toThrow(TypeError);
    expect(queuedTicks() + queuedMicrotasks()).toBe(0);
  });
});
