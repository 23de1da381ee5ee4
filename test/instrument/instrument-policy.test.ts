import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shouldInstrument } from '../../src/instrument/instrument-policy.js';
import type { InstrumentPolicy } from '../../src/instrument/instrument-policy.js';

const NOTHING_EXTRA: InstrumentPolicy = { include: [], excludeRoots: [] };
const url = (path: string): string => pathToFileURL(path).href;

describe('shouldInstrument', () => {
  it('instruments user files with any JavaScript or TypeScript extension', () => {
    for (const ext of ['ts', 'mts', 'cts', 'tsx', 'js', 'mjs', 'cjs', 'jsx']) {
      expect(shouldInstrument(url(`/app/src/a.${ext}`), NOTHING_EXTRA), ext).toBe(true);
    }
  });

  it('ignores other extensions, including look-alikes', () => {
    for (const path of ['/app/data.json', '/app/mod.wasm', '/app/a.node', '/app/README', '/app/a.ts.bak', '/app/a.TS']) {
      expect(shouldInstrument(url(path), NOTHING_EXTRA), path).toBe(false);
    }
  });

  it('only considers file: URLs, and ignores their query and hash', () => {
    expect(shouldInstrument('node:fs', NOTHING_EXTRA)).toBe(false);
    expect(shouldInstrument('data:text/javascript,await%201', NOTHING_EXTRA)).toBe(false);
    expect(shouldInstrument('https://example.com/a.js', NOTHING_EXTRA)).toBe(false);
    expect(shouldInstrument('not a url', NOTHING_EXTRA)).toBe(false);
    expect(shouldInstrument('file:///app/a.ts?tsx-namespace=123#x', NOTHING_EXTRA)).toBe(true);
    expect(shouldInstrument('file:///app/a.json?x=.ts', NOTHING_EXTRA)).toBe(false);
  });

  it('leaves node_modules alone unless the package is included', () => {
    const file = url('/app/node_modules/async-mutex/index.mjs');
    expect(shouldInstrument(file, NOTHING_EXTRA)).toBe(false);
    expect(shouldInstrument(file, { include: ['async-mutex'], excludeRoots: [] })).toBe(true);
    expect(shouldInstrument(file, { include: ['async-*'], excludeRoots: [] })).toBe(true);
    expect(shouldInstrument(file, { include: ['*'], excludeRoots: [] })).toBe(true);
    expect(shouldInstrument(file, { include: ['async'], excludeRoots: [] })).toBe(false);
    expect(shouldInstrument(file, { include: ['mutex'], excludeRoots: [] })).toBe(false);
    expect(shouldInstrument(file, { include: ['async.mutex'], excludeRoots: [] })).toBe(false);
  });

  it('matches scoped packages by their full @scope/name', () => {
    const file = url('/app/node_modules/@acme/locks/dist/index.js');
    expect(shouldInstrument(file, { include: ['@acme/*'], excludeRoots: [] })).toBe(true);
    expect(shouldInstrument(file, { include: ['@acme/locks'], excludeRoots: [] })).toBe(true);
    expect(shouldInstrument(file, { include: ['@acme'], excludeRoots: [] })).toBe(false);
    expect(shouldInstrument(file, { include: ['locks'], excludeRoots: [] })).toBe(false);
    expect(shouldInstrument(file, { include: ['@other/*'], excludeRoots: [] })).toBe(false);
  });

  it('judges nested and pnpm-style dependencies by the package after the last node_modules', () => {
    const nested = url('/app/node_modules/async-mutex/node_modules/tslib/tslib.es6.mjs');
    expect(shouldInstrument(nested, { include: ['async-mutex'], excludeRoots: [] })).toBe(false);
    expect(shouldInstrument(nested, { include: ['tslib'], excludeRoots: [] })).toBe(true);
    const pnpm = url('/app/node_modules/.pnpm/@acme+locks@1.0.0/node_modules/@acme/locks/index.js');
    expect(shouldInstrument(pnpm, { include: ['@acme/locks'], excludeRoots: [] })).toBe(true);
    expect(shouldInstrument(pnpm, { include: ['.pnpm'], excludeRoots: [] })).toBe(false);
  });

  it('does not mistake a directory merely named like node_modules for one', () => {
    expect(shouldInstrument(url('/app/my_node_modules/x/a.ts'), NOTHING_EXTRA)).toBe(true);
    expect(shouldInstrument(url('/app/node_modules_backup/x/a.ts'), NOTHING_EXTRA)).toBe(true);
  });

  it('never instruments files under an excluded root, even included packages', () => {
    const policy: InstrumentPolicy = {
      include: ['race-hunt'],
      excludeRoots: ['/opt/race-hunt/dist', '/app/node_modules/race-hunt/dist/'],
    };
    expect(shouldInstrument(url('/opt/race-hunt/dist/runtime/gate.js'), policy)).toBe(false);
    expect(shouldInstrument(url('/opt/race-hunt/dist-other/a.js'), policy)).toBe(true);
    expect(shouldInstrument(url('/opt/race-hunt/src/a.ts'), policy)).toBe(true);
    expect(shouldInstrument(url('/app/node_modules/race-hunt/dist/index.js'), policy)).toBe(false);
    expect(shouldInstrument(url('/app/node_modules/race-hunt/scenarios/a.ts'), policy)).toBe(true);
  });

  it('decodes percent-encoded paths before judging them', () => {
    expect(shouldInstrument('file:///app/with%20space/a.ts', NOTHING_EXTRA)).toBe(true);
    expect(shouldInstrument('file:///app/with%20space/a.ts', { include: [], excludeRoots: ['/app/with space'] })).toBe(false);
  });
});
