import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT } from '../support/dist-api.js';
import { internalFrames, traceLines } from '../support/cli.js';
import { exec } from '../support/exec.js';

const COUNTER = `export class Counter {
  value = 0;
  private async read(): Promise<number> {
    await Promise.resolve();
    return this.value;
  }
  async increment(): Promise<void> {
    const current = await this.read();
    await Promise.resolve();
    this.value = current + 1;
  }
}
`;

const SCENARIO = `import { scenario } from 'race-hunt';
import { Counter } from './src/counter.js';

export default scenario('consumer: lost increment', {
  setup: () => new Counter(),
  tasks: {
    a: (counter) => counter.increment(),
    b: (counter) => counter.increment(),
  },
  invariant: (counter) => counter.value === 2 || \`value is \${counter.value}\`,
});
`;

// The package as users get it: packed, installed into a fresh project, run through npx.
describe('the packed package', () => {
  const work = mkdtempSync(join(tmpdir(), 'rh-package-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships no install script, and every source map it ships points at a file it ships', async () => {
    assertBuilt();
    const dry = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
    expect(dry.code, dry.stderr).toBe(0);
    const shipped = new Set((JSON.parse(dry.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    // npm 11 flags a tarball whose package.json has an install-time script; the build runs in prepack.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string; scripts: Record<string, string>; dependencies: Record<string, string> };
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[script], script).toBeUndefined();
    expect(manifest.scripts.prepack).toBe('npm run build');
    // The license package.json names ships with it.
    expect(manifest).toMatchObject({ license: 'MIT' });
    expect(shipped.has('LICENSE')).toBe(true);
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    const maps = [...shipped].filter((path) => path.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[] };
      for (const source of sources) expect(shipped.has(posix.join(posix.dirname(map), source)), `${map} → ${source}`).toBe(true);
    }
    // A runtime dependency only for what src/ imports.
    for (const name of Object.keys(manifest.dependencies)) {
      const used = [...shipped].some((path) => path.startsWith('src/') && readFileSync(join(ROOT, path), 'utf8').includes(`'${name}`));
      expect(used, `${name} is a dependency that src/ never imports`).toBe(true);
    }
  });

  it('installs into a fresh project whose scenario imports race-hunt and finds the race', { timeout: 120_000 }, async () => {
    assertBuilt();
    // --ignore-scripts: `prepack` would rebuild dist/ under the feet of the other test files.
    const packed = await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], ROOT);
    expect(packed.code, packed.stderr).toBe(0);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const project = join(work, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
    const installed = await exec('npm', ['install', join(work, tarball!), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
    expect(installed.code, installed.stderr).toBe(0);

    writeFileSync(join(project, 'src', 'counter.ts'), COUNTER);
    writeFileSync(join(project, 'lost.scenario.ts'), SCENARIO);
    // --no: never fetch race-hunt from the registry; it must come from the project.
    const found = await exec('npx', ['--no', 'race-hunt', 'run', 'lost.scenario.ts', '--seed', '3', '--runs', '500'], project);
    expect(found.code, found.stdout + found.stderr).toBe(1);
    expect(found.stdout).toContain('invariant violation: value is 1');
    const steps = traceLines(found.stdout);
    expect(steps.some((l) => /src\/counter\.ts:8:\d+ +│ const current = await this\.read\(\);/.test(l))).toBe(true);
    expect(internalFrames(found.stdout + found.stderr)).toEqual([]);

    // The printed replay command works verbatim in the user's project.
    const command = /^ {2}replay: (npx race-hunt replay .*)$/m.exec(found.stdout)?.[1];
    expect(command).toBeDefined();
    const replayed = await exec('/bin/sh', ['-c', command!], project);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(1);
    expect(traceLines(replayed.stdout)).toEqual(steps);

    // A CommonJS corner of the project (its package.json says no "type": "module"), as most
    // TypeScript projects are: found the same way, at the line in the TypeScript.
    mkdirSync(join(project, 'legacy'));
    writeFileSync(join(project, 'legacy', 'package.json'), '{ "name": "legacy" }\n');
    writeFileSync(join(project, 'legacy', 'counter.ts'), COUNTER);
    writeFileSync(join(project, 'legacy', 'lost.scenario.ts'), SCENARIO.replace('./src/counter.js', './counter'));
    const legacy = await exec('npx', ['--no', 'race-hunt', 'run', 'legacy/lost.scenario.ts', '--seed', '3', '--runs', '500'], project);
    expect(legacy.code, legacy.stdout + legacy.stderr).toBe(1);
    expect(traceLines(legacy.stdout).some((l) => /legacy\/counter\.ts:8:\d+ +│ const current = await this\.read\(\);/.test(l))).toBe(true);
    expect(internalFrames(legacy.stdout + legacy.stderr)).toEqual([]);

    // The published types check a scenario: the state type flows from setup into the tasks.
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['*.ts', 'src'] }),
    );
    const typed = await exec(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    expect(typed.code, typed.stdout).toBe(0);
    writeFileSync(join(project, 'wrong.ts'), "import { scenario } from 'race-hunt';\nexport default scenario('w', { setup: () => 1, tasks: { a: (n) => n.toUpperCase() } });\n");
    const mistyped = await exec(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    expect(mistyped.code).not.toBe(0);
    expect(mistyped.stdout).toMatch(/wrong\.ts.*Property 'toUpperCase' does not exist on type 'number'/);
  });
});
