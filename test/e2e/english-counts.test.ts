import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replayCommandOf, shell } from '../support/cli.js';
import { e2eSandbox } from '../support/e2e-sandbox.js';

// Counts of one through the real binary: every report says "1 run", "1 step", "the 1 schedule",
// never "1 runs" — in the terminal, on a replay, and in the Markdown bug report.
const { race, sandbox } = e2eSandbox();

const SCENARIOS = `import { scenario } from 'race-hunt';

export default scenario('one await', {
  setup: () => ({ n: 0 }),
  tasks: {
    only: async (s) => {
      await Promise.resolve();
      s.n += 1;
    },
  },
  invariant: (s) => s.n === 1,
});

export const fails = scenario('fails at once', {
  setup: () => ({ n: 0 }),
  tasks: { only: () => {} },
  invariant: (s) => s.n === 1 || \`n is \${s.n}\`,
});
`;

describe('counts of one read as English', () => {
  it('on a pass: 1 run, 1 interleaving, 1 await pair; the 1 schedule with ≤ 1 delay or preemption; 1 error', async () => {
    sandbox().write('counts/one.scenario.ts', SCENARIOS);
    sandbox().write('counts/broken.scenario.ts', "throw new Error('broken at import');\n");
    const one = ['counts/one.scenario.ts', '--scenario', 'one await', '--no-corpus'];
    const [random, delay, dfs] = await Promise.all([
      race('run', ...one, '--strategy', 'random', '--runs', '1', '--seed', '1'),
      race('run', ...one, '--strategy', 'delay', '--delays', '1'),
      race('run', ...one, 'counts/broken.scenario.ts', '--strategy', 'dfs', '--preemptions', '1'),
    ]);
    expect(random.code, random.stderr).toBe(0);
    expect(random.stdout).toMatch(/^✔ one await counts\/one\.scenario\.ts {2}1 run · 1 interleaving · 1 await pair · \d+ms$/m);
    expect(random.stdout).toMatch(/^1 scenario — 1 passed, 0 failed {2}\(seed 1\)$/m);
    expect(delay.code, delay.stderr).toBe(0);
    expect(delay.stdout).toMatch(/^ {2}verified by delay\(delays≤1\): the 1 schedule with ≤ 1 delay satisfies the invariants$/m);
    expect(dfs.code).toBe(2);
    expect(dfs.stdout).toMatch(/^ {2}verified by dfs\(preemptions≤1\): the 1 schedule with ≤ 1 preemption satisfies the invariants$/m);
    expect(dfs.stdout).toMatch(/^2 scenarios — 1 passed, 0 failed, 1 error {2}\(seed \d+\)$/m);
  });

  it('on a failure of one step: its trace header when found and replayed, and the Markdown report', async () => {
    sandbox().write('counts/one.scenario.ts', SCENARIOS);
    const run = await race('run', 'counts/one.scenario.ts', '--scenario', 'fails at once', '--strategy', 'random', '--runs', '1', '--seed', '1', '--report', 'counts-report');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^✘ fails at once counts\/one\.scenario\.ts {2}1 run · 1 interleaving · 0 await pairs · \d+ms$/m);
    expect(run.stdout).toMatch(/^ {2}trace \(1 step, 0 preemptions; found in run 1 by random\):$/m);
    // The printed replay command, verbatim.
    const replayed = await shell(sandbox().dir, replayCommandOf(run.stdout));
    expect(replayed.code, replayed.stderr).toBe(1);
    expect(replayed.stdout).toMatch(/^ {2}trace \(1 step, 0 preemptions; replayed\):$/m);
    expect(replayed.stdout).not.toMatch(/found in run/);

    const saved = /^ {2}saved: {2}(\S+)$/m.exec(run.stdout)![1]!;
    const slug = saved.replace(/^.*\//, '').replace(/\.json$/, '');
    const markdown = readFileSync(sandbox().path(`counts-report/${slug}.md`), 'utf8');
    expect(markdown).toContain('- **Found:** found in run 1 by random');
    expect(markdown).toMatch(/^- \*\*Schedule:\*\* 1 step, 0 preemptions; not shrunk \(\d+ runs? in \d+ms\)/m);
  });
});
