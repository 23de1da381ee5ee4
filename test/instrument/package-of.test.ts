import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldInstrument } from '../../src/instrument/instrument-policy.js';
import { packageOf, patternMatchesPackage } from '../../src/instrument/package-of.js';

let app: string;
beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'rh-package-of-'));
  const write = (path: string, text: string): void => {
    mkdirSync(join(app, path, '..'), { recursive: true });
    writeFileSync(join(app, path), text);
  };
  // `"kv-alias": "npm:tiny-kv@1"` installs tiny-kv in the folder kv-alias.
  write('node_modules/kv-alias/package.json', '{ "name": "tiny-kv" }');
  write('node_modules/kv-alias/lib/index.js', '');
  write('node_modules/@acme/locks/package.json', '{ "name": "@acme/locks" }');
  write('node_modules/@acme/locks/dist/esm/package.json', '{ "type": "module" }');
  write('node_modules/unnamed/index.js', '');
});
afterAll(() => rmSync(app, { recursive: true, force: true }));

describe('packageOf', () => {
  it('names a package by its package.json name, and keeps the folder it is installed in', () => {
    expect(packageOf(join(app, 'node_modules/kv-alias/lib/index.js'))).toEqual({ root: join(app, 'node_modules/kv-alias'), folder: 'kv-alias', name: 'tiny-kv' });
  });

  it('takes the package root after the last node_modules, scope included, not a nested package.json', () => {
    expect(packageOf(join(app, 'node_modules/@acme/locks/dist/esm/index.js'))).toMatchObject({ folder: '@acme/locks', name: '@acme/locks' });
  });

  it('falls back on the folder without a package.json, and is undefined outside node_modules', () => {
    expect(packageOf(join(app, 'node_modules/unnamed/index.js'))?.name).toBe('unnamed');
    expect(packageOf(join(app, 'src/a.ts'))).toBeUndefined();
  });

  it('an --instrument pattern matches the name or the folder', () => {
    const pkg = packageOf(join(app, 'node_modules/kv-alias/lib/index.js'))!;
    expect(['tiny-kv', 'kv-alias', 'tiny-*', 'kv-*'].map((p) => patternMatchesPackage(p, pkg))).toEqual([true, true, true, true]);
    expect(patternMatchesPackage('tiny', pkg)).toBe(false);
  });

  it('instruments an aliased install named by its package.json name', () => {
    const file = pathToFileURL(join(app, 'node_modules/kv-alias/lib/index.js')).href;
    expect(shouldInstrument(file, { include: ['tiny-kv'], excludeRoots: [] })).toBe(true);
    expect(shouldInstrument(file, { include: [], excludeRoots: [] })).toBe(false);
  });
});
