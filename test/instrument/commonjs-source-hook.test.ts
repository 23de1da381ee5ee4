import type { LoadFnOutput, LoadHookContext } from 'node:module';
import { describe, expect, it } from 'vitest';
import { initialize, load } from '../../src/instrument/commonjs-source-hook.js';
import { suspensionFacts } from './ast-facts.js';

const context: LoadHookContext = { conditions: ['node', 'import'], format: 'commonjs', importAttributes: {}, importAssertions: {} };
const CJS = 'exports.f = async function f(x) {\n  return await x;\n};\n';

async function loadWith(url: string, result: LoadFnOutput): Promise<LoadFnOutput> {
  return load(url, context, () => result);
}

describe('CommonJS source hook (after tsx)', () => {
  initialize({ policy: { include: [], excludeRoots: ['/work/race-hunt'] }, cwd: '/work/app', track: false });

  it('instruments the source tsx returns for a CommonJS module an ES module imports, named by its file', async () => {
    const url = 'file:///work/app/src/a.ts%3Ftsx-commonjs-export-preparse=1?tsx-commonjs-export-preparse=1&tsx-commonjs-virtual-query=1';
    // tsx adds fields of its own (responseURL): they must survive.
    const fromTsx = { format: 'commonjs', source: CJS, responseURL: 'data:text/javascript,x' } as LoadFnOutput;
    const loaded = await loadWith(url, fromTsx);
    expect(loaded).toMatchObject({ format: 'commonjs', responseURL: 'data:text/javascript,x' });
    expect(suspensionFacts(String(loaded.source), 'a.cjs').locs).toEqual(['src/a.ts:2:10']);
  });

  it('hands a user’s CommonJS module at its own URL to the CommonJS loader, without a source', async () => {
    const loaded = await loadWith('file:///work/app/scenario.cts', { format: 'commonjs', source: CJS });
    expect(loaded).toEqual({ format: 'commonjs', shortCircuit: true });
  });

  it('passes through ES modules, dependencies and sourceless results', async () => {
    const cases: [string, LoadFnOutput][] = [
      ['file:///work/app/a.ts', { format: 'module', source: CJS }],
      ['file:///work/app/node_modules/dep/index.js', { format: 'commonjs', source: CJS }],
      ['file:///work/app/b.js', { format: 'commonjs' }],
      ['node:fs', { format: 'builtin' }],
    ];
    for (const [url, result] of cases) expect(await loadWith(url, result), url).toBe(result);
  });
});
