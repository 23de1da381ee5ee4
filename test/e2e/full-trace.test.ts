import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Exit } from '../support/cli.js';
import { e2eSandbox } from '../support/e2e-sandbox.js';

// --full-trace through the real binary: a long trace is printed whole (no elided middle, no
// collapsed stretch of one task), in the terminal, JSON and JUnit, for run, replay and shrink alike;
// the bug report (Markdown and HTML) always has every step.
const { race, sandbox } = e2eSandbox();

// A spinner that never ends: 100 steps with --max-steps 50, all of one task.
const LONG = ['kinds.scenario.ts', '--scenario', 'kind: step-limit', '--max-steps', '50', '--seed', '1', '--runs', '1', '--no-corpus'];
const stepLines = (stdout: string): string[] => stdout.split('\n').filter((line) => /^ +\d+ +spinner /.test(line));

describe('--full-trace', () => {
  it('prints every step of a long trace, where the default leaves out its middle and collapses a long stretch', async () => {
    const [short, full] = await Promise.all([race('run', ...LONG), race('run', ...LONG, '--full-trace')]);
    expect(short.code).toBe(1);
    expect(full.code).toBe(1);
    expect(stepLines(short.stdout).length).toBeLessThan(20);
    expect(short.stdout).toMatch(/… \d+ more steps|steps elided/);
    expect(stepLines(full.stdout).map((line) => Number(/^ +(\d+)/.exec(line)![1]))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(full.stdout).not.toMatch(/more steps|elided/);
  });

  it('keeps the whole trace in JSON and JUnit too, and in a replay', async () => {
    const [json, elided] = await Promise.all([race('run', ...LONG, '--json', '--full-trace'), race('run', ...LONG, '--json')]);
    const violation = (exit: Exit): { trace: unknown[]; traceElided?: unknown; schedule: string } =>
      (JSON.parse(exit.stdout) as { scenarios: { violation: { trace: unknown[]; traceElided?: unknown; schedule: string } }[] }).scenarios[0]!.violation;
    expect(violation(json).trace).toHaveLength(100);
    expect(violation(json).traceElided).toBeUndefined();
    expect(violation(elided).trace).toHaveLength(60);
    expect(violation(elided).traceElided).toEqual({ after: 20, steps: 40 });
    const junit = await race('run', ...LONG, '--reporter', 'junit', '--full-trace');
    expect(junit.stdout.split('\n').filter((line) => /^ *\d+ +spinner /.test(line))).toHaveLength(100);
    const replay = await race('replay', 'kinds.scenario.ts', '--scenario', 'kind: step-limit', '--max-steps', '50', '--schedule', violation(json).schedule, '--full-trace');
    expect(replay.code).toBe(1);
    expect(stepLines(replay.stdout)).toHaveLength(100);
  });

  it('prints every step of the trace the shrink command reports', async () => {
    const run = await race('run', ...LONG.filter((arg) => arg !== '--no-corpus'), '--no-shrink');
    expect(run.code).toBe(1);
    const saved = /^ {2}saved: {2}(\S+)$/m.exec(run.stdout)![1]!;
    const [short, full] = [await race('shrink', saved, '--shrink-time', '2s'), await race('shrink', saved, '--shrink-time', '2s', '--full-trace')];
    expect([short.code, full.code]).toEqual([1, 1]);
    expect(short.stdout).toMatch(/steps elided/);
    expect(stepLines(full.stdout).map((line) => Number(/^ +(\d+)/.exec(line)![1]))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(full.stdout).not.toMatch(/more steps|elided/);
  });

  it('is how the bug report always shows a trace: every step in the Markdown table and the HTML, from run --report and from the report command', async () => {
    const run = await race('run', ...LONG.filter((arg) => arg !== '--no-corpus'), '--report', 'long-reports');
    expect(run.code).toBe(1);
    const saved = /^ {2}saved: {2}(\S+)$/m.exec(run.stdout)![1]!;
    const slug = saved.replace(/^.*\//, '').replace(/\.json$/, '');
    const again = await race('report', saved, '--out', 'long-reports-again');
    expect(again.code).toBe(0);
    for (const dir of ['long-reports', 'long-reports-again']) {
      const markdown = readFileSync(sandbox().path(`${dir}/${slug}.md`), 'utf8');
      const rows = markdown.split('\n').filter((line) => /^\| \d+ \| spinner \|/.test(line));
      expect(rows.map((row) => Number(/^\| (\d+)/.exec(row)![1])), dir).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      const html = readFileSync(sandbox().path(`${dir}/${slug}.html`), 'utf8');
      const pre = /<h2>Trace<\/h2>\n<pre>([^<]*)<\/pre>/.exec(html)![1]!;
      expect(pre.split('\n').filter((line) => /^ *\d+ +spinner /.test(line)), dir).toHaveLength(100);
      expect(markdown + html, dir).not.toMatch(/more steps|elided/);
    }
  });
});
