import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/dist-api.js';
import { traceLines } from '../support/cli.js';
import { e2eSandbox } from '../support/e2e-sandbox.js';

// The CLI's surface through the real binary: help and version, each strategy by name, the
// report command, a `for await` inside a task, and --instrument of an ES-module package.
const { sandbox, race } = e2eSandbox();

describe('the command line', () => {
  it('--version prints the version, --help the commands, and no arguments the help with exit 2', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const [v, help, none] = await Promise.all([race('--version'), race('--help'), race()]);
    expect([v.code, v.stdout]).toEqual([0, `${version}\n`]);
    expect(help.code).toBe(0);
    for (const command of ['run', 'replay', 'shrink', 'report']) expect(help.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    expect(none.code).toBe(2);
    expect(none.stdout + none.stderr).toContain('Usage: race-hunt [options] [command]');
  });

  it('--strategy random, pct and delay each find the lost update and say so; delay with --delays verifies the fixed one', async () => {
    const found = await Promise.all(
      ['random', 'pct', 'delay'].map((strategy) => race('run', 'lost-update.scenario.ts', '--strategy', strategy, '--delays', '1', '--seed', '1', '--runs', '300', '--no-corpus')),
    );
    const by = found.map((exit) => {
      expect(exit.code, exit.stderr).toBe(1);
      return /^ {2}trace \(\d+ steps, 1 preemption; found in run \d+ by (\S+)\):$/m.exec(exit.stdout)?.[1];
    });
    expect(by).toEqual(['random', 'pct(d=3)', 'delay(delays≤1)']);
    const verified = await race('run', 'pass.scenario.ts', '--strategy', 'delay', '--delays', '1', '--no-corpus');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^ {2}verified by delay\(delays≤1\): all \d+ schedules with ≤ 1 delay satisfy the invariants$/m);
  });

  it('finds a race across a `for await` loop, its steps at the loop and the generator', async () => {
    const exit = await race('run', 'suspension-forms.scenario.ts', '--seed', '1', '--no-corpus');
    expect(exit.code, exit.stderr).toBe(1);
    expect(exit.stdout).toContain('invariant violation: n is 1, expected 2');
    const steps = traceLines(exit.stdout);
    expect(steps.some((l) => /suspension-forms\.scenario\.ts:16:7 +│ for await \(const page of pages\(\)\) void page;/.test(l))).toBe(true);
    expect(steps.some((l) => /suspension-forms\.scenario\.ts:5:3 +│ yield 1;/.test(l))).toBe(true);
  });

  it('finds a race where a task import()s a module, notes the loading as real I/O, and names the module cache when a schedule does not replay', async () => {
    const exit = await race('run', 'import-in-task.scenario.ts', '--seed', '1', '--no-corpus', '--workers', '1');
    expect(exit.code, exit.stderr).toBe(1);
    expect(exit.stdout).toContain('invariant violation: n is 1, expected 2');
    expect(traceLines(exit.stdout).some((l) => /import-in-task\.scenario\.ts:15:\d+ +│ const \{ bump \} = await import\('\.\/lib\/bump\.js'\);/.test(l))).toBe(true);
    expect(exit.stdout).toMatch(/real I\/O ran \(.*module loading \(import\(\)\)/);
    // Whether the found schedule replays depends on whether the module was already cached when it
    // was found (a matter of timing); when it does not, the cause named is the module cache.
    if (exit.stdout.includes('nondeterministic:')) expect(exit.stdout).toMatch(/likely cause: an import\(\) loaded a module during a run: Node keeps it in its module cache/);
  });

  it('report <failure-file> writes Markdown, SVG and HTML for a saved failure', async () => {
    const run = await race('run', 'lost-update.scenario.ts', '--seed', '2', '--runs', '300', '--json');
    const file = (JSON.parse(run.stdout) as { scenarios: { violation: { failureFile: string } }[] }).scenarios[0]!.violation.failureFile;
    const report = await race('report', file, '--out', 'bug-reports');
    expect(report.code, report.stderr).toBe(0);
    const written = readdirSync(sandbox().path('bug-reports')).sort();
    expect(written.map((f) => f.replace(/-[0-9a-f]{8}\./, '.'))).toEqual(['lost-update.html', 'lost-update.md', 'lost-update.svg']);
    for (const name of written) expect(report.stdout).toContain(name);
    const markdown = readFileSync(sandbox().path(`bug-reports/${written[1]}`), 'utf8');
    expect(markdown).toContain('# race-hunt: invariant in "lost update"');
    expect(markdown).toContain('npx race-hunt replay');
  });

  it('--instrument <package> finds a race inside an ES-module package, which without it ran outside its control', async () => {
    const pkg = sandbox().path('node_modules/esm-counter');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'esm-counter', version: '1.0.0', type: 'module', exports: './index.js' }));
    writeFileSync(
      join(pkg, 'index.js'),
      'export class Counter {\n  value = 0;\n  async increment() {\n    const v = this.value;\n    await Promise.resolve();\n    this.value = v + 1;\n  }\n}\n',
    );
    writeFileSync(
      sandbox().path('esm-package.scenario.ts'),
      "import { scenario } from 'race-hunt';\nimport { Counter } from 'esm-counter';\n\nexport default scenario('esm package', {\n  setup: () => new Counter(),\n  tasks: { a: (c) => c.increment(), b: (c) => c.increment() },\n  invariant: (c) => c.value === 2 || `value is ${c.value}`,\n});\n",
    );
    const [plain, instrumented] = await Promise.all([
      race('run', 'esm-package.scenario.ts', '--seed', '1', '--runs', '200', '--no-corpus'),
      race('run', 'esm-package.scenario.ts', '--seed', '1', '--runs', '200', '--no-corpus', '--instrument', 'esm-counter'),
    ]);
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).toMatch(/esm-counter/); // named among what ran outside race-hunt's control
    expect(instrumented.code, instrumented.stdout).toBe(1);
    expect(instrumented.stdout).toContain('invariant violation: value is 1');
    expect(traceLines(instrumented.stdout).some((l) => /node_modules\/esm-counter\/index\.js:5:5 +│ await Promise\.resolve\(\);/.test(l))).toBe(true);
  });
});
