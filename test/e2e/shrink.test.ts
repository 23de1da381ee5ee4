import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { traceLines } from '../support/cli.js';
import { e2eSandbox } from '../support/e2e-sandbox.js';

// Shrinking through the real binary: fewest preemptions, then fewest steps, each claimed only
// once proven; the time it took apart from the replay's; and what stopped it when it stopped early.
const { sandbox, race } = e2eSandbox();

const shrinkLineOf = (stdout: string): string => /^ {2}((?:shrunk from|not shrunk).*)$/m.exec(stdout)?.[1] ?? '';

describe('shrinking', () => {
  it('leaves the bystander task out and the race in four steps, and says both bounds are proven', async () => {
    for (const seed of ['1', '2', '6']) {
      const run = await race('run', 'bystander.scenario.ts', '--seed', seed, '--no-corpus', '--workers', '1');
      expect(run.code, run.stderr).toBe(1);
      const steps = traceLines(run.stdout);
      expect(steps, `seed ${seed}`).toHaveLength(4);
      // No step of the task named "bystander" (the file is named so too: look at the task column).
      expect(steps.filter((step) => /^\s*\d+\s+⇢?\s*bystander\s/.test(step))).toEqual([]);
      expect(shrinkLineOf(run.stdout), `seed ${seed}`).toMatch(
        /^(shrunk from \d+ steps \/ \d+ preemptions to 4 steps \/ 1 preemption|not shrunk) \([\d,]+ runs in [\d.]+m?s\) — minimal: no schedule with fewer preemptions fails this way, nor one with 1 preemption and fewer steps$/,
      );
    }
  });

  it('says the budget ran out, and claims nothing it did not prove, when --shrink-time is too short', async () => {
    const run = await race('run', 'bystander.scenario.ts', '--seed', '2', '--no-corpus', '--workers', '1', '--shrink-time', '1ms');
    expect(run.code, run.stderr).toBe(1);
    const line = shrinkLineOf(run.stdout);
    expect(line).toMatch(/its 1ms budget ran out \(raise --shrink-time\)$/);
    expect(line).not.toMatch(/— minimal:|fewest preemptions/);
  });

  it('shrink <file> spends the time it needs of --shrink-time, saves what it proved, and times the shrink apart from the replay', async () => {
    const found = await race('run', 'bystander.scenario.ts', '--seed', '2', '--workers', '1', '--shrink-time', '1ms', '--json');
    const file = (JSON.parse(found.stdout) as { scenarios: { violation: { failureFile: string } }[] }).scenarios[0]!.violation.failureFile;
    const shrunk = await race('shrink', file, '--shrink-time', '60s');
    expect(shrunk.code, shrunk.stderr).toBe(1);
    expect(shrunk.stdout).toMatch(/ {2}replayed in \d+ms · shrunk in [\d.]+m?s\n/);
    expect(traceLines(shrunk.stdout)).toHaveLength(4);
    expect(shrinkLineOf(shrunk.stdout)).toMatch(/— minimal: no schedule with fewer preemptions fails this way, nor one with 1 preemption and fewer steps$/);
    const record = JSON.parse(readFileSync(sandbox().path(file), 'utf8')) as { steps: number; shrink: Record<string, unknown> };
    expect(record.steps).toBe(4);
    expect(record.shrink).toMatchObject({ minimal: true, minimalSteps: true, cutShort: false, budgetMs: 60_000 });
    // Proven well within the minute: it stopped because it was done, not because time ran out.
    expect(record.shrink.durationMs).toBeLessThan(60_000);
  });
});
