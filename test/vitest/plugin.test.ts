import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_ROOT } from '../../src/core/own-root.js';
import { raceHunt } from '../../src/vitest/plugin.js';
import { SETTINGS_VARIABLE, vitestSettings } from '../../src/vitest/vitest-settings.js';

const USER_FILE = join(process.cwd(), 'src-of-user', 'counter.ts');
const CODE = 'export async function f(o: { n: number }) {\n  const n = o.n;\n  await Promise.resolve();\n  o.n = n + 1;\n}\n';

interface TestConfig {
  setupFiles: string[];
  env: Record<string, string>;
  server: { deps: { inline: RegExp[]; external: RegExp[] } };
}

describe('raceHunt() — the Vite plugin', () => {
  it('instruments a user file before the TypeScript transform, with a map, and says it ran instrumented', () => {
    const plugin = raceHunt();
    expect(plugin).toMatchObject({ name: 'race-hunt', enforce: 'pre' });
    const out = plugin.transform(CODE, USER_FILE)!;
    expect(out.code).toContain('await __rh$await(Promise.resolve(), "src-of-user/counter.ts:3:3")');
    expect(out.code).toContain(`;globalThis.__rh$loaded?.(${JSON.stringify(USER_FILE)});`);
    expect(out.code).not.toContain('sourceMappingURL');
    expect(JSON.parse(out.map)).toMatchObject({ version: 3, sources: ['counter.ts'] });
    // Lines keep their numbers: the await is on line 3 still.
    expect(out.code.split('\n')[2]).toContain('await __rh$await');
  });

  it('leaves alone what `race-hunt run` leaves alone: packages not named, race-hunt itself, virtual modules, queries, other languages', () => {
    const plugin = raceHunt();
    expect(plugin.transform(CODE, join(process.cwd(), 'node_modules', 'some-pkg', 'index.ts'))).toBeUndefined();
    expect(plugin.transform(CODE, join(OWN_ROOT, 'api', 'run.ts'))).toBeUndefined();
    expect(plugin.transform(CODE, '\0virtual:thing.ts')).toBeUndefined();
    expect(plugin.transform(CODE, `${USER_FILE}?raw`)).toBeUndefined();
    expect(plugin.transform(CODE, join(process.cwd(), 'styles.css'))).toBeUndefined();
    expect(plugin.transform('export const x = 1;\n', USER_FILE)).toBeUndefined();
  });

  it('instruments the packages `instrument` names, and has vitest load them through Vite', () => {
    const plugin = raceHunt({ instrument: ['some-pkg', '@acme/*'] });
    expect(plugin.transform(CODE, join(process.cwd(), 'node_modules', 'some-pkg', 'index.ts'))?.code).toContain('__rh$await');
    const { inline } = (plugin.config().test as unknown as TestConfig).server.deps;
    const inlined = (path: string): boolean => inline.some((re) => re.test(path));
    expect(inlined('/p/node_modules/some-pkg/dist/index.js')).toBe(true);
    expect(inlined('/p/node_modules/@acme/kv/index.js')).toBe(true);
    expect(inlined('/p/node_modules/some-pkg-2/index.js')).toBe(false);
    expect(inlined('/p/node_modules/other/index.js')).toBe(false);
  });

  it('with track, reports memory accesses for dpor', () => {
    expect(raceHunt({ track: true }).transform(CODE, USER_FILE)!.code).toMatch(/__rh\$(?:r|w)\(/);
  });

  it('adds its setup file, keeps race-hunt loaded by Node but that setup file, and tells the workers its settings', () => {
    const test = raceHunt({ instrument: ['kv'], track: true, mode: 'explore' }).config().test as unknown as TestConfig;
    expect(test.setupFiles).toEqual([join(OWN_ROOT, 'vitest', 'setup.js')]);
    const [external] = test.server.deps.external;
    expect(external!.test(join(OWN_ROOT, 'index.js'))).toBe(true);
    expect(external!.test(join(OWN_ROOT, 'vitest', 'worker.js'))).toBe(true);
    expect(external!.test(join(OWN_ROOT, 'vitest', 'setup.js'))).toBe(false);
    expect(external!.test(join(process.cwd(), 'test', 'x.test.ts'))).toBe(false);
    expect(vitestSettings(test.env)).toEqual({ include: ['kv'], track: true, mode: 'explore' });
    expect(vitestSettings({})).toBeUndefined();
    expect(Object.keys(test.env)).toEqual([SETTINGS_VARIABLE]);
  });
});
