import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { internalFrames, raceHunt, replayCommandOf, shell, traceLines } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import { locate } from '../support/locate.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// The real binary on fixture scenarios: exit codes, the human report, replay commands, JSON.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
});
afterAll(() => sandbox.remove());
const race = (...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, args);

/** A numbered trace line: number, optional preemption mark, task, then what happened. */
const STEP = /^ {4} *(\d+) [ ⇢] (\S+) +(.*)$/;

describe('race-hunt run (human report)', () => {
  it('--strategy sites finds the reader between one of 40 writers’ two stages, and says it did', async () => {
    const { code, stdout } = await race('run', 'two-stage.scenario.ts', '--strategy', 'sites', '--depth', '1', '--runs', '100', '--seed', '3', '--no-shrink', '--json');
    expect(code).toBe(1);
    const [found] = (JSON.parse(stdout) as { scenarios: { strategy: string; violation: { foundBy: string; message: string } }[] }).scenarios;
    expect(found!.strategy).toBe('sites');
    expect(found!.violation.foundBy).toBe('sites(d=1)');
    expect(found!.violation.message).toMatch(/read second 0 after first 1/);
  });

  it('--strategy dfs that cannot finish bound 0 claims nothing and says why', async () => {
    const { code, stdout } = await race('run', 'pass.scenario.ts', '--strategy', 'dfs', '--runs', '2', '--seed', '1');
    expect(code).toBe(0);
    expect(stdout).toContain('not finished within the run budget; no verification claimed. Even with no preemption');
    expect(stdout).not.toMatch(/verified/);
  });

  it('exits 0 on a passing scenario and says so', async () => {
    const { code, stdout, stderr } = await race('run', 'pass.scenario.ts', '--runs', '200', '--seed', '7');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^✔ atomic increments pass\.scenario\.ts {2}200 runs · \d+ interleavings · \d+ await pairs · \d+m?s$/m);
    expect(stdout).toMatch(/^1 scenario — 1 passed, 0 failed {2}\(seed 7\)$/m);
    expect(stderr).toBe('');
  });

  it('exits 1 on a race with a numbered trace, locations, source lines and a replay command that reproduces it', async () => {
    const run = await race('run', 'lost-update.scenario.ts', '--seed', '7', '--runs', '500');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^✘ lost update lost-update\.scenario\.ts {2}\d+ runs/m);
    expect(run.stdout).toContain('  invariant violation: value is 1, expected 2');
    expect(run.stdout).toMatch(/^1 scenario — 0 passed, 1 failed {2}\(seed 7\)$/m);

    const steps = traceLines(run.stdout);
    expect(steps.length).toBeGreaterThanOrEqual(6);
    const parsed = steps.map((l) => STEP.exec(l));
    expect(parsed.every((m) => m !== null), steps.join('\n')).toBe(true);
    expect(parsed.map((m) => Number(m![1]))).toEqual(steps.map((_, i) => i + 1));
    expect(new Set(parsed.map((m) => m![2]))).toEqual(new Set(['alice', 'bob']));
    // Resumes name the await in the user's module and quote its source line.
    const read = locate('lib/counter.ts', 'const current = await this.read();');
    expect(steps.some((l) => l.includes(`${read}  │ const current = await this.read();`))).toBe(true);
    for (const m of parsed) {
      const what = m![3]!;
      expect(what === 'starts' || /^lib\/counter\.ts:\d+:\d+ +│ .*await/.test(what), what).toBe(true);
    }

    // The replay command, pasted into a shell as printed, reproduces the same trace.
    const command = replayCommandOf(run.stdout);
    expect(command).toMatch(/^npx race-hunt replay lost-update\.scenario\.ts --scenario 'lost update' --schedule rh1\.[A-Za-z0-9_-]+$/);
    const replayed = await shell(sandbox.dir, command);
    expect(replayed.code, replayed.stderr).toBe(1);
    expect(traceLines(replayed.stdout)).toEqual(steps);
    expect(replayed.stdout).toContain('  invariant violation: value is 1, expected 2');
    expect(replayed.stdout).toMatch(/replayed in \d+m?s/);

    // The failure was saved; replaying the saved file gives the same trace again.
    const saved = /^ {2}saved: +(\S+)$/m.exec(run.stdout)?.[1];
    expect(saved).toMatch(/^\.race-hunt\/failures\/lost-update-[0-9a-f]{8}\.json$/);
    expect(existsSync(sandbox.path(saved!))).toBe(true);
    const record = JSON.parse(readFileSync(sandbox.path(saved!), 'utf8')) as { schedule: string; replay: string };
    expect(command).toContain(record.schedule);
    const [fromFile, shrunk] = await Promise.all([race('replay', saved!), race('shrink', saved!, '--shrink-time', '2s')]);
    expect(fromFile.code, fromFile.stderr).toBe(1);
    expect(traceLines(fromFile.stdout)).toEqual(steps);
    // Shrinking a saved failure again keeps it failing the same way, and saves it back.
    expect(shrunk.code, shrunk.stderr).toBe(1);
    expect(shrunk.stdout).toMatch(/replayed in \d+m?s · shrunk in [\d.]+m?s/);
    expect(shrunk.stdout).toContain('  invariant violation: value is 1, expected 2');
    expect((JSON.parse(readFileSync(sandbox.path(saved!), 'utf8')) as { shrink?: { minimal: boolean } }).shrink?.minimal).toBe(true);
  });

  it('writes a bug report (Markdown, SVG, HTML) with --report', async () => {
    const { code, stdout } = await race('run', 'kinds.scenario.ts', '--scenario', 'kind: deadlock', '--seed', '2', '--runs', '300', '--no-corpus', '--report', 'reports');
    expect(code).toBe(1);
    const files = readdirSync(sandbox.path('reports')).sort();
    expect(files.map((f) => f.replace(/-[0-9a-f]{8}\./, '.'))).toEqual(['kind-deadlock.html', 'kind-deadlock.md', 'kind-deadlock.svg']);
    const markdown = readFileSync(sandbox.path(`reports/${files[1]}`), 'utf8');
    expect(markdown).toContain('# race-hunt: deadlock in "kind: deadlock"');
    expect(markdown).toContain(replayCommandOf(stdout));
    expect(markdown).toMatch(/- forward waits at `lib\/counter\.ts:\d+:\d+`, via `kinds\.scenario\.ts:\d+:\d+`/);
    expect(readFileSync(sandbox.path(`reports/${files[2]}`), 'utf8')).toMatch(/^<svg [^>]*data-lanes="2"/);
  });

  it('ranks error > violation > ok when a directory holds a passing, a failing and a broken scenario', async () => {
    const { code, stdout } = await race('run', 'mixed', '--seed', '3', '--runs', '300');
    expect(code).toBe(2);
    expect(stdout).toMatch(/^✔ mixed: passes mixed\/a-pass\.scenario\.ts/m);
    expect(stdout).toMatch(/^✘ mixed: fails mixed\/b-fail\.scenario\.ts/m);
    expect(stdout).toMatch(/^✖ error mixed\/c-broken\.scenario\.ts\n {2}could not load mixed\/c-broken\.scenario\.ts: importing it threw mixed: broken at import/m);
    expect(stdout).not.toContain('helper.ts'); // not a *.scenario.ts module: never loaded
    expect(stdout).toMatch(/^3 scenarios — 1 passed, 1 failed, 1 error {2}/m);
    // Without the broken file, the violation decides: 1.
    const failing = await race('run', 'mixed/a-pass.scenario.ts', 'mixed/b-fail.scenario.ts', '--seed', '3', '--runs', '300');
    expect(failing.code).toBe(1);
  });

  it('carries --max-steps into the replay command, and the replay needs it', async () => {
    const run = await race('run', 'kinds.scenario.ts', '--scenario', 'kind: step-limit', '--max-steps', '40', '--runs', '2', '--seed', '1');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('step-limit violation: no end after 80 steps, the last 40 of them scheduled fairly');
    const command = replayCommandOf(run.stdout);
    expect(command).toMatch(/ --max-steps 40$/);
    const replayed = await shell(sandbox.dir, command);
    expect(replayed.code).toBe(1);
    // The same steps; only the line standing for the elided middle differs (a replay saves no failure file).
    const steps = (stdout: string): string[] => traceLines(stdout).filter((l) => !l.includes(' steps elided'));
    expect(steps(replayed.stdout)).toEqual(steps(run.stdout));
    expect(traceLines(replayed.stdout)).toContain('          … 20 steps elided (race-hunt run keeps whole traces in .race-hunt/failures/)');
    // Without the limit, the replay runs to the default one: another trace.
    const unlimited = await shell(sandbox.dir, command.replace(/ --max-steps 40$/, ''));
    expect(unlimited.code, unlimited.stderr).toBe(1);
    expect(unlimited.stdout).toContain('step-limit violation: no end after 20,000 steps, the last 10,000 of them scheduled fairly');
    expect(unlimited.stdout).toMatch(/^ {2}trace \(20,000 steps, 0 preemptions; replayed\):$/m);
    expect(traceLines(unlimited.stdout)).not.toEqual(traceLines(run.stdout));
  });

  it('prints blocked tasks for a deadlock', async () => {
    const { code, stdout } = await race('run', 'kinds.scenario.ts', '--scenario', 'kind: deadlock', '--seed', '1', '--runs', '300');
    expect(code).toBe(1);
    expect(stdout).toMatch(/deadlock violation: (forward, backward|backward, forward) wait forever/);
    // Each task at its innermost wait (inside the lock), via the await in the task that leads there.
    const inLock = locate('lib/counter.ts', 'await new Promise<void>');
    expect(stdout).toMatch(new RegExp(`^ {4}forward +waits at ${inLock} +│ await new Promise<void>`, 'm'));
    expect(stdout).toMatch(new RegExp(`^ +via ${locate('kinds.scenario.ts', 'await s.second.lock();')} +│ await s.second.lock\\(\\);`, 'm'));
    expect(stdout).toMatch(new RegExp(`^ +via ${locate('kinds.scenario.ts', 'await s.first.lock();', 'await', 2)} +│ await s.first.lock\\(\\);`, 'm'));
  });

  // Was a bug: for an exception, the report prints up to three stack frames and filters only
  // node:internal and node_modules frames, so race-hunt's own frames (dist/runtime/…) show
  // whenever race-hunt is not itself under node_modules (here: run from its repository).
  it('shows the user’s frames of an exception but never race-hunt’s own', async () => {
    const { code, stdout, stderr } = await race('run', 'kinds.scenario.ts', '--scenario', 'kind: exception', '--seed', '1', '--runs', '5');
    expect(code).toBe(1);
    expect(stdout).toContain('task worker failed: boom from worker');
    expect(stdout).toContain('unhandled rejection: nobody catches this');
    expect(stdout).toContain('a timer set by arm failed: timer boom');
    expect(stdout).toContain('kinds.scenario.ts:');
    expect(internalFrames(stdout + stderr)).toEqual([]);
  });
});

describe('race-hunt --json', () => {
  it('prints exactly one JSON document of the documented shape, and replay --json gives the same trace', async () => {
    // --no-corpus: what earlier tests saved in this sandbox must not turn the finding into a corpus hit.
    const run = await race('run', 'lost-update.scenario.ts', 'pass.scenario.ts', '--seed', '11', '--runs', '300', '--json', '--no-corpus');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout) as {
      seed: number;
      scenarios: { file: string; name: string; status: string; runs: number; violation?: { kind: string; message: string; schedule: string; trace: { task: string; location?: string }[] }; error?: string }[];
    };
    expect(doc.seed).toBe(11);
    expect(doc.scenarios.map((s) => [s.file, s.name, s.status])).toEqual([
      ['lost-update.scenario.ts', 'lost update', 'fail'],
      ['pass.scenario.ts', 'atomic increments', 'pass'],
    ]);
    const [lost, pass] = doc.scenarios;
    expect(pass!.runs).toBe(300);
    expect(pass).not.toHaveProperty('violation');
    expect(lost!.violation).toMatchObject({ kind: 'invariant', message: 'value is 1, expected 2', schedule: expect.stringMatching(/^rh1\./) });
    const trace = lost!.violation!.trace;
    expect(trace.length).toBeGreaterThanOrEqual(6);
    for (const step of trace) {
      expect(['alice', 'bob']).toContain(step.task);
      if (step.location !== undefined) expect(step.location).toMatch(/^lib\/counter\.ts:\d+:\d+$/);
    }

    // Every field the README documents for such a run, with its type (the optional ones are those
    // a run without a corpus or shards, with a finding it shrank, leaves out or puts in; `corpus`
    // and `failureFile` are the corpus tests').
    const typeOf = (value: unknown): string => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
    const shape = (value: Record<string, unknown>): Record<string, string> => Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeOf(v)]));
    const scenarioFields = { file: 'string', name: 'string', status: 'string', runs: 'number', strategy: 'string', interleavings: 'number', awaitPairs: 'number', saturated: 'boolean', verification: 'array', durationMs: 'number', uncontrolled: 'object' };
    expect(shape(pass as unknown as Record<string, unknown>)).toEqual({ ...scenarioFields, runsToFirstViolation: 'null' });
    expect(shape(lost as unknown as Record<string, unknown>)).toEqual({ ...scenarioFields, runsToFirstViolation: 'number', violation: 'object' });
    expect(shape(lost!.violation as unknown as Record<string, unknown>)).toEqual({
      kind: 'string', message: 'string', schedule: 'string', steps: 'number', preemptions: 'number',
      shrunkFrom: 'object', minimal: 'boolean', shrinking: 'object', run: 'number', foundBy: 'string', replay: 'string', trace: 'array',
    });
    expect(shape((lost as unknown as { uncontrolled: Record<string, unknown> }).uncontrolled)).toEqual({ awaits: 'array', realIo: 'array', censusRuns: 'number' });
    expect(shape(doc as unknown as Record<string, unknown>)).toEqual({ seed: 'number', scenarios: 'array' });
    const violation = lost!.violation as unknown as Record<string, Record<string, unknown>> & { steps: number; preemptions: number };
    expect(shape(violation.shrunkFrom!)).toEqual({ steps: 'number', preemptions: 'number', schedule: 'string' });
    expect(shape(violation.shrinking!)).toEqual({ minimalSteps: 'boolean', cutShort: 'boolean', runs: 'number', durationMs: 'number', budgetMs: 'number' });
    expect(violation.shrinking!.budgetMs).toBe(10_000); // the default --shrink-time
    const verification = (lost as unknown as { verification: Record<string, unknown>[] }).verification;
    expect(verification.length).toBeGreaterThan(0); // the portfolio's systematic members
    for (const entry of verification) expect(typeOf(entry.verified)).toBe('boolean');
    // A trace of fewer than 60 steps is whole, and its preemptions are the steps marked so.
    expect(trace).toHaveLength(violation.steps);
    expect(trace.filter((step) => (step as { preemption?: true }).preemption === true)).toHaveLength(violation.preemptions);

    // Every step has the documented fields only, each of its type; a timer and an immediate (run
    // apart, with strict timers) show the fields only timer steps have.
    const timed = await race('run', 'json-steps.scenario.ts', '--timers', 'strict', '--runs', '1', '--seed', '1', '--json', '--no-corpus');
    expect(timed.code, timed.stderr).toBe(1);
    const timedTrace = (JSON.parse(timed.stdout) as typeof doc).scenarios[0]!.violation!.trace as unknown as Record<string, unknown>[];
    const STEP_FIELDS: Record<string, string> = { task: 'string', kind: 'string', location: 'string', time: 'number', immediate: 'boolean', preemption: 'boolean' };
    const steps = [...(trace as unknown as Record<string, unknown>[]), ...timedTrace];
    for (const step of steps) {
      expect(Object.keys(step)).toEqual(expect.arrayContaining(['task', 'kind']));
      expect(shape(step)).toEqual(Object.fromEntries(Object.keys(step).map((k) => [k, STEP_FIELDS[k]])));
      expect(['start', 'resume', 'timer']).toContain(step.kind);
      if (step.kind === 'start') expect(step).not.toHaveProperty('location');
      else expect(step.location).toMatch(/^[\w/.-]+\.ts:\d+:\d+$/);
      // Only timer steps have a time; `immediate` and `preemption` are there only when true.
      if (step.kind === 'timer') expect(typeOf(step.time)).toBe('number');
      else for (const field of ['time', 'immediate']) expect(step).not.toHaveProperty(field);
      for (const flag of ['immediate', 'preemption']) if (flag in step) expect(step[flag]).toBe(true);
    }
    expect(new Set(steps.flatMap((step) => Object.keys(step)))).toEqual(new Set(Object.keys(STEP_FIELDS)));
    expect(timedTrace.filter((step) => step.kind === 'timer')).toEqual([
      { task: 'a', kind: 'timer', location: locate('json-steps.scenario.ts', 'setImmediate', 'setImmediate'), time: 0, immediate: true },
      { task: 'a', kind: 'timer', location: locate('json-steps.scenario.ts', 'setTimeout', 'setTimeout'), time: 5 },
    ]);

    const replayed = await race('replay', 'lost-update.scenario.ts', '--scenario', 'lost update', '--schedule', lost!.violation!.schedule, '--json');
    expect(replayed.code).toBe(1);
    expect(replayed.stderr).toBe('');
    const again = JSON.parse(replayed.stdout) as typeof doc;
    expect(again.scenarios).toHaveLength(1);
    expect(again.scenarios[0]!.violation!.trace).toEqual(trace);
    expect(again.scenarios[0]!.violation!.schedule).toBe(lost!.violation!.schedule);
  });

  it('reports errors in the document too, still as one document', async () => {
    const { code, stdout, stderr } = await race('run', 'errors/setup-throws.scenario.ts', 'nope.scenario.ts', '--json', '--runs', '5');
    expect(code).toBe(2);
    expect(stderr).toBe('');
    const doc = JSON.parse(stdout) as { scenarios: { status: string; error?: string }[] };
    expect(doc.scenarios.map((s) => s.status)).toEqual(['error', 'error']);
    expect(doc.scenarios[0]!.error).toContain('database is down (fixture)');
    expect(doc.scenarios[1]!.error).toContain('nope.scenario.ts does not exist');
  });
});
