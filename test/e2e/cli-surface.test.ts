import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/dist-api.js';
import { replayCommandOf, shell, traceLines } from '../support/cli.js';
import { e2eSandbox } from '../support/e2e-sandbox.js';
import { locate } from '../support/locate.js';

// The CLI's surface through the real binary: help and version, each strategy by name, strict
// timers, the report command, a `for await` inside a task, and --instrument of an ES-module package.
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

  it('--timers strict runs a due timer only when nothing else is ready; its finding replays with it, and diverges without it', async () => {
    // A timer set before four steps of work: fuzz timers may fire it early, strict ones never.
    const early = ['run', 'time.scenario.ts', '--scenario', 'time: timer after the work', '--seed', '5', '--runs', '300', '--no-corpus'];
    const [fuzz, strict] = await Promise.all([race(...early), race(...early, '--timers', 'strict')]);
    expect(fuzz.code, fuzz.stderr).toBe(1);
    expect(fuzz.stdout).toMatch(/^ {2}invariant violation: timer fired early: step\d,timer,/m);
    expect(replayCommandOf(fuzz.stdout)).not.toContain('--timers');
    expect(strict.code, strict.stderr).toBe(0);
    expect(strict.stdout).toMatch(/^✔ time: timer after the work time\.scenario\.ts {2}300 runs · /m);

    // A timer due while two tasks still work: under strict timers it always fires last.
    const last = await race('run', 'strict-timer.scenario.ts', '--timers', 'strict', '--seed', '1', '--runs', '300', '--no-corpus');
    expect(last.code, last.stderr).toBe(1);
    expect(last.stdout).toMatch(/^ {2}invariant violation: timer last: (?:[ab]\d ){6}timer$/m);
    const armed = locate('strict-timer.scenario.ts', 'setTimeout', 'setTimeout');
    expect(traceLines(last.stdout).at(-1)).toMatch(new RegExp(`^ {4} *\\d+ {3}a +timer fires at \\+1ms \\(set at ${armed}\\)`));
    const command = replayCommandOf(last.stdout);
    expect(command).toMatch(/ --timers strict$/);
    const [again, without] = await Promise.all([shell(sandbox().dir, command), shell(sandbox().dir, command.replace(/ --timers strict$/, ''))]);
    expect(again.code, again.stderr).toBe(1);
    expect(traceLines(again.stdout)).toEqual(traceLines(last.stdout));
    // Fuzz timers offer the due timer as one more option where strict ones did not: the schedule no longer fits.
    expect(without.code, without.stdout).toBe(2);
    expect(without.stdout).toMatch(/diverged from the schedule: at decision \d+ the schedule expects 2 ready options but the run has 3/);
    expect(without.stdout).toContain("or the replay's options are not the run's: a replay command as reported carries the run's --max-steps, --timers and --instrument.");
  });

  it('finds a race across a `for await` loop, its steps at the loop and the generator', async () => {
    const exit = await race('run', 'suspension-forms.scenario.ts', '--seed', '1', '--no-corpus');
    expect(exit.code, exit.stderr).toBe(1);
    expect(exit.stdout).toContain('invariant violation: n is 1, expected 2');
    const steps = traceLines(exit.stdout);
    // Task a resumes at a step of its loop and at the generator's yield.
    const FILE = 'suspension-forms.scenario.ts';
    const resumedBy = (task: string, at: string, source: string): boolean => steps.some((l) => new RegExp(` ${task} +${at} +│ `).test(l) && l.endsWith(source));
    expect(resumedBy('a', locate(FILE, 'for await (const page', 'for await'), 'for await (const page of pages()) void page;'), steps.join('\n')).toBe(true);
    expect(resumedBy('a', locate(FILE, 'yield 1;', 'yield'), 'yield 1;'), steps.join('\n')).toBe(true);
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
