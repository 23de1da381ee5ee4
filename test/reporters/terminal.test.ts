import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport, ScenarioReport } from '../../src/core/report.js';
import { terminalReporter } from '../../src/reporters/terminal.js';
import { stripAnsi } from '../support/cli.js';
import { scenarioReport, violationReport } from '../support/reports.js';

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

describe('terminalReporter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rh-terminal-'));
  writeFileSync(join(dir, 'account.ts'), 'x\n  const v = await load();\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function render(mode: 'run' | 'replay', scenarios: ScenarioReport[], color = false): { out: string; err: string } {
    const out = sink();
    const err = sink();
    const reporter = terminalReporter({ out, err, cwd: dir, color });
    const report: RunReport = { seed: 99, scenarios };
    reporter.onRunStart?.({ seed: 99, mode });
    for (const s of scenarios) {
      reporter.onScenarioStart?.({ file: s.file, name: s.name, budget: 1000 });
      reporter.onProgress?.({ file: s.file, name: s.name, runs: 10, budget: 1000, interleavings: 2, elapsedMs: 5 });
      reporter.onScenarioEnd?.(s);
    }
    reporter.onRunEnd?.(report);
    return { out: out.text(), err: err.text() };
  }

  it('prints one line per passing scenario and a summary with the seed', () => {
    const { out, err } = render('run', [scenarioReport({ name: 'credits' })]);
    expect(out).toBe('✔ credits scenarios/a.scenario.ts  1,000 runs · 12 interleavings · 7 await pairs · 1.2s\n\n1 scenario — 1 passed, 0 failed  (seed 99)\n');
    expect(err).toBe(''); // no spinner when stderr is not a terminal
  });

  it('reads counts of one as English: 1 run, 1 interleaving, 1 await pair, the 1 schedule, ≤ 1 delay, 1 error', () => {
    const one = scenarioReport({
      runs: 1,
      interleavings: 1,
      awaitPairs: 1,
      verification: [{ strategy: 'delay(delays≤1)', unit: 'delays', bound: 1, exhaustive: true, completedBound: 1, schedules: 1 }],
    });
    const { out } = render('run', [one, scenarioReport({ status: 'error', name: 'broken', error: 'could not load it' })]);
    expect(out).toContain('  1 run · 1 interleaving · 1 await pair · 1.2s\n');
    expect(out).toContain('  verified by delay(delays≤1): the 1 schedule with ≤ 1 delay satisfies the invariants\n');
    expect(out).toContain('2 scenarios — 1 passed, 0 failed, 1 error  (seed 99)');
  });

  it("counts in English on the spinner too: 1 run, 1 interleaving; a run's budget after a slash", async () => {
    // stderr as a terminal: the spinner draws every 80ms, so by 250ms it has drawn the text it was given.
    const moved = (): boolean => true;
    const err = Object.assign(sink(), { isTTY: true, columns: 120, cursorTo: moved, clearLine: moved, moveCursor: moved });
    const reporter = terminalReporter({ out: sink(), err, cwd: dir, color: false });
    reporter.onRunStart?.({ seed: 1, mode: 'run' });
    reporter.onScenarioStart?.({ file: 'a.scenario.ts', name: 'one', budget: Number.MAX_SAFE_INTEGER });
    reporter.onProgress?.({ file: 'a.scenario.ts', name: 'one', runs: 1, budget: Number.MAX_SAFE_INTEGER, interleavings: 1, elapsedMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    reporter.onProgress?.({ file: 'a.scenario.ts', name: 'one', runs: 1, budget: 1, interleavings: 2, elapsedMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    reporter.onScenarioEnd?.(scenarioReport({ name: 'one' }));
    const drawn = stripAnsi(err.text());
    expect(drawn).toContain('one  1 run · 1 interleaving · 1 runs/s');
    expect(drawn).toContain('one  1/1 run · 2 interleavings · 1 runs/s');
    expect(drawn).not.toMatch(/\b1 (runs|interleavings)\b(?!\/s)/);
  });

  it('prints a violation with its trace, source lines, blocked tasks, user frames and the replay command', () => {
    const violation = violationReport({
      kind: 'deadlock',
      message: 'deadlock: alice waits forever',
      trace: [
        { kind: 'start', task: 'alice' },
        { kind: 'resume', task: 'alice', location: 'account.ts:2:13' },
      ],
      blocked: [{ task: 'alice', location: 'account.ts:2:13' }],
    });
    const { out } = render('run', [scenarioReport({ name: 'bank', status: 'fail', violation })]);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^✘ bank scenarios\/a\.scenario\.ts {2}1,000 runs/);
    expect(lines).toContain('  deadlock violation: deadlock: alice waits forever');
    expect(lines).toContain('  trace (3 steps, 1 preemption; found in run 17 by pct(d=2)):');
    expect(lines).toContain('    1   alice  starts');
    expect(lines).toContain('    2   alice  account.ts:2:13  │ const v = await load();');
    expect(lines).toContain('  ✘ deadlock: alice waits forever');
    expect(lines).toContain('  blocked:');
    expect(lines).toContain('    alice  waits at account.ts:2:13  │ const v = await load();');
    expect(lines).toContain(`  replay: ${violation.replay}`);
    expect(lines.at(-2)).toBe('1 scenario — 0 passed, 1 failed  (seed 99)');
    expect(out).not.toMatch(ANSI);
  });

  it('shows at most three stack frames, none from node internals or node_modules', () => {
    const stack = [
      'Error: boom',
      '    at node:internal/process/task_queues:95:5',
      '    at lib (/app/node_modules/lib/index.js:1:1)',
      '    at one (/app/src/one.ts:1:1)',
      '    at two (/app/src/two.ts:2:2)',
      '    at three (/app/src/three.ts:3:3)',
      '    at four (/app/src/four.ts:4:4)',
    ].join('\n');
    const { out } = render('run', [scenarioReport({ status: 'fail', violation: violationReport({ kind: 'exception', stack }) })]);
    const frames = out.split('\n').filter((l) => l.trim().startsWith('at '));
    expect(frames).toEqual(['    at one (/app/src/one.ts:1:1)', '    at two (/app/src/two.ts:2:2)', '    at three (/app/src/three.ts:3:3)']);
  });

  it('prints errors with their message and counts them; a file-level error shows the file', () => {
    const { out } = render('run', [
      scenarioReport({ name: '', file: 'broken.ts', status: 'error', error: 'could not load broken.ts: boom' }),
      scenarioReport({ name: 'setup fails', status: 'error', error: 'setup failed' }),
    ]);
    expect(out).toContain('✖ error broken.ts\n  could not load broken.ts: boom\n');
    expect(out).toContain('✖ error setup fails scenarios/a.scenario.ts\n  setup failed\n');
    expect(out).toContain('2 scenarios — 0 passed, 0 failed, 2 errors  (seed 99)');
  });

  it('in replay mode says "replayed", omits the finder and the seed', () => {
    const { out } = render('replay', [scenarioReport({ status: 'fail', durationMs: 3, violation: violationReport({ preemptions: 2 }) })]);
    expect(out).toContain('replayed in 3ms');
    expect(out).toContain('  trace (3 steps, 2 preemptions; replayed):');
    expect(out).not.toContain('seed');
    expect(out).not.toContain('runs ·');
  });

  it('reports verification verdicts and saturation for passing scenarios', () => {
    const { out } = render('run', [
      scenarioReport({
        saturated: true,
        verification: [
          { strategy: 'dfs(preemptions≤2)', unit: 'preemptions', bound: 2, exhaustive: true, completedBound: 2, schedules: 1284 },
          { strategy: 'delay(delays≤2)', unit: 'delays', bound: 2, exhaustive: false, completedBound: 1, schedules: 40 },
          { strategy: 'dfs(preemptions≤1)', unit: 'preemptions', bound: 1, exhaustive: false, completedBound: -1, schedules: 0 },
        ],
      }),
    ]);
    expect(out).toContain('  verified by dfs(preemptions≤2): all 1,284 schedules with ≤ 2 preemptions satisfy the invariants\n');
    expect(out).toContain('  delay(delays≤2): all 40 schedules with ≤ 1 delay pass; the bound 2 was not finished (raise --runs)\n');
    expect(out).toContain('  dfs(preemptions≤1): not finished within the run budget; no verification claimed\n');
    expect(out).toContain('coverage looks saturated');
  });

  it('tells a user of dfs alone why bound 0 did not finish, and what bounds it', () => {
    const { out } = render('run', [
      scenarioReport({
        strategy: 'dfs',
        verification: [{ strategy: 'dfs(preemptions≤2)', unit: 'preemptions', bound: 2, exhaustive: false, completedBound: -1, schedules: 0 }],
      }),
    ]);
    expect(out).toContain("no verification claimed. Even with no preemption, every order of the tasks' starts and hand-overs is a schedule");
    expect(out).toContain('--strategy delay bounds those too');
  });

  it('says what a shrunk schedule was shrunk from, whether it is minimal, and where it was saved', () => {
    const shrunk = violationReport({
      shrunkFrom: { steps: 40, preemptions: 6, schedule: 'rh1.AAA' },
      minimal: true,
      shrinking: { minimalSteps: true, cutShort: false, runs: 318, durationMs: 1234, budgetMs: 10_000 },
      failureFile: '.race-hunt/failures/a-scenario-1234abcd.json',
    });
    const { out } = render('run', [scenarioReport({ status: 'fail', violation: shrunk })]);
    expect(out).toContain(
      '  shrunk from 40 steps / 6 preemptions to 3 steps / 1 preemption (318 runs in 1.2s) — minimal: no schedule with fewer preemptions fails this way, nor one with 1 preemption and fewer steps\n',
    );
    expect(out).toContain('  saved:  .race-hunt/failures/a-scenario-1234abcd.json\n');
    const notMinimal = render('run', [scenarioReport({ status: 'fail', violation: { ...shrunk, minimal: false, shrinking: { ...shrunk.shrinking!, minimalSteps: false, cutShort: true } } })]).out;
    expect(notMinimal).toContain('  shrunk from 40 steps / 6 preemptions to 3 steps / 1 preemption (318 runs in 1.2s) — not proven minimal: its 10.0s budget ran out (raise --shrink-time)\n');
    // Nothing smaller found: said so, rather than "shrunk from 3 steps to 3 steps".
    const same = render('run', [scenarioReport({ status: 'fail', violation: { ...shrunk, shrunkFrom: { steps: 3, preemptions: 1, schedule: 'rh1.AAA' } } })]).out;
    expect(same).toContain('  not shrunk (318 runs in 1.2s) — minimal: no schedule with fewer preemptions fails this way, nor one with 1 preemption and fewer steps\n');
  });

  it('cuts a long source line to the terminal width, keeping the await in view', () => {
    const long = `${'const options = { retries: 3, backoff: exponential(100), jitter: true }; '.repeat(2)}const v = await load(options); ${'log(v); '.repeat(12)}`;
    writeFileSync(join(dir, 'long.ts'), `x\n    ${long}\n`);
    const column = 4 + long.indexOf('await') + 1;
    const trace = [{ kind: 'resume' as const, task: 'alice', location: `long.ts:2:${column}` }];
    const out = sink();
    terminalReporter({ out, err: sink(), cwd: dir, color: false, layout: 'list', width: 80 }).onScenarioEnd?.(scenarioReport({ status: 'fail', violation: violationReport({ trace }) }));
    const line = out.text().split('\n').find((l) => l.includes('long.ts:2:'))!;
    expect([...line].length).toBeLessThanOrEqual(80);
    expect(line).toMatch(/│ ….*await load\(options\);.*…$/);
    // Without a terminal (a log, a pipe): the source line alone is cut the same way, to 120 characters.
    const piped = sink();
    terminalReporter({ out: piped, err: sink(), cwd: dir, color: false, layout: 'list' }).onScenarioEnd?.(scenarioReport({ status: 'fail', violation: violationReport({ trace }) }));
    const logged = piped.text().split('\n').find((l) => l.includes('long.ts:2:'))!;
    const code = logged.slice(logged.indexOf('│ ') + 2);
    expect([...code]).toHaveLength(120);
    expect(code).toMatch(/^….*await load\(options\);.*…$/);
    expect(long.trim()).toContain(code.slice(1, -1));
  });

  it('without a terminal, prints a source line of 120 characters whole, however long what comes before it', () => {
    const line = `await new Promise((resolve) => setTimeout(resolve, 10)); ${'x'.repeat(120 - 57)}`;
    expect(line).toHaveLength(120);
    writeFileSync(join(dir, 'timer.ts'), `x\n  ${line}\n`);
    const location = 'node_modules/a-package-with-a-long-name/lib/timer.ts:2:34';
    const trace = [{ kind: 'timer' as const, task: 'a-task-with-a-long-name', location: 'timer.ts:2:34', time: 10 }, { kind: 'resume' as const, task: 'a', location }];
    const piped = sink();
    terminalReporter({ out: piped, err: sink(), cwd: dir, color: false, layout: 'list' }).onScenarioEnd?.(scenarioReport({ status: 'fail', violation: violationReport({ trace }) }));
    const printed = piped.text().split('\n').find((l) => l.includes('(set at timer.ts:2:34)'))!;
    expect([...printed].length).toBeGreaterThan(200);
    expect(printed.endsWith(`│ ${line}`)).toBe(true);
    // In a terminal as wide, the whole printed line fits instead, the await in view.
    const narrow = sink();
    terminalReporter({ out: narrow, err: sink(), cwd: dir, color: false, layout: 'list', width: 120 }).onScenarioEnd?.(scenarioReport({ status: 'fail', violation: violationReport({ trace }) }));
    const cut = narrow.text().split('\n').find((l) => l.includes('(set at timer.ts:2:34)'))!;
    expect([...cut].length).toBeLessThanOrEqual(120);
    expect(cut).toMatch(/│ …[^…]*setTimeout[^…]*…$/);
  });

  it('cuts long source lines around the await in the blocked list and in the columns layout too', () => {
    const long = `${'const options = { retries: 3, backoff: exponential(100), jitter: true }; '.repeat(2)}const v = await load(options); ${'log(v); '.repeat(12)}`;
    writeFileSync(join(dir, 'long2.ts'), `x\n    ${long}\n`);
    const location = `long2.ts:2:${4 + long.indexOf('await') + 1}`;
    const deadlock = violationReport({
      kind: 'deadlock',
      trace: [{ kind: 'resume', task: 'alice', location }],
      blocked: [{ task: 'alice', location, via: [location] }],
    });
    const out = sink();
    terminalReporter({ out, err: sink(), cwd: dir, color: false, layout: 'list', width: 80 }).onScenarioEnd?.(scenarioReport({ status: 'fail', violation: deadlock }));
    const blocked = out.text().split('\n').filter((l) => /(waits at|via) long2\.ts/.test(l));
    expect(blocked).toHaveLength(2);
    for (const line of blocked) {
      expect([...line].length).toBeLessThanOrEqual(80);
      expect(line).toMatch(/│ ….*await load\(options\);.*…$/);
    }
    // Two tasks side by side in 100 cells: each cell keeps the await, cut at both ends.
    const columns = sink();
    const trace = [{ kind: 'resume' as const, task: 'alice', location }, { kind: 'resume' as const, task: 'bob', location }];
    terminalReporter({ out: columns, err: sink(), cwd: dir, color: false, layout: 'columns', width: 100 }).onScenarioEnd?.(scenarioReport({ status: 'fail', violation: violationReport({ trace }) }));
    const cells = columns.text().split('\n').filter((l) => /^ +[12] │/.test(l));
    expect(cells).toHaveLength(2);
    for (const line of cells) {
      expect([...line].length).toBeLessThanOrEqual(100); // the layout's 96 cells, indented by four
      expect(line).toMatch(/long2\.ts:2:\d+ ….*await load\(.*…/);
    }
  });

  it('draws the trace in columns when asked, one per task', () => {
    const out = sink();
    const reporter = terminalReporter({ out, err: sink(), cwd: dir, color: false, layout: 'columns', width: 100 });
    reporter.onScenarioEnd?.(scenarioReport({ status: 'fail', violation: violationReport() }));
    const header = out.text().split('\n').find((l) => l.includes('alice') && l.includes('bob') && !l.includes('replay'));
    expect(header).toMatch(/^\s+│ alice\s+│ bob$/);
  });

  it('elides the middle of a long trace in either layout, naming the failure file that keeps it whole', () => {
    const trace = Array.from({ length: 20_000 }, (_, i) => ({ kind: 'resume' as const, task: i % 2 ? 'pong' : 'ping', location: 'account.ts:2:13' }));
    const violation = violationReport({ kind: 'step-limit', trace, steps: 20_000, failureFile: '.race-hunt/failures/spin-1.json' });
    const note = '… 19,940 steps elided: the whole trace is in .race-hunt/failures/spin-1.json';
    for (const layout of ['list', 'columns'] as const) {
      const out = sink();
      terminalReporter({ out, err: sink(), cwd: dir, color: false, layout, width: 120 }).onScenarioEnd?.(scenarioReport({ status: 'fail', violation }));
      const lines = out.text().split('\n');
      expect(lines.filter((l) => l.trim() === note), layout).toHaveLength(1);
      const numbered = lines.map((l) => /^ {4} *(\d+) /.exec(l)?.[1]).filter((n) => n !== undefined);
      expect(numbered, layout).toEqual([...Array.from({ length: 20 }, (_, i) => String(i + 1)), ...Array.from({ length: 40 }, (_, i) => String(19_961 + i))]);
      expect(out.text().length, layout).toBeLessThan(12_000);
    }
  });

  it('colours only when asked to', () => {
    const scenarios = [scenarioReport({ status: 'fail', violation: violationReport() })];
    expect(render('run', scenarios, true).out).toMatch(ANSI);
    expect(render('run', scenarios, false).out).not.toMatch(ANSI);
  });
});
