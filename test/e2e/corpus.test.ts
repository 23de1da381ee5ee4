import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exit } from '../support/cli.js';
import { internalFrames, raceHunt, replayCommandOf, shell, traceLines } from '../support/cli.js';
import { assertBuilt, ROOT } from '../support/dist-api.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// The corpus of saved failures (.race-hunt/failures/) as a CI gate uses it, through the real
// binary: each test gets a project of its own (test/fixtures/corpus), since what one run saves
// is what the next replays. Tests rewrite counter.ts to fix the bug, or to move its awaits.

const FIXTURES = join(ROOT, 'test', 'fixtures', 'corpus');
const sandboxes: Sandbox[] = [];
beforeAll(() => assertBuilt());
afterAll(() => sandboxes.forEach((s) => s.remove()));

function project(): Sandbox {
  const sandbox = makeSandbox(FIXTURES);
  sandboxes.push(sandbox);
  return sandbox;
}

interface CorpusDoc {
  replayed: number;
  hit?: string;
  failing: string[];
  fixed: string[];
  stale: { file: string; divergence: string; cause: string }[];
  unverified: { file: string; reason: string }[];
  pruned: string[];
  warnings: string[];
}

interface ScenarioDoc {
  status: string;
  runs: number;
  violation?: { message: string; schedule: string; foundBy: string; run: number; replay: string; failureFile?: string; reportFiles?: string[] };
  corpus?: CorpusDoc;
}

interface SavedRecord {
  createdAt: string;
  seen?: number;
  lastSeen?: string;
  schedule: string;
  original: { schedule: string };
  options: { maxSteps: number; timers: string; instrument: string[] };
  sources?: Record<string, string>;
}

const race = (sandbox: Sandbox, ...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, args);

/** The one scenario of a `--json` run. */
function only(exit: Exit): ScenarioDoc {
  const doc = JSON.parse(exit.stdout) as { scenarios: ScenarioDoc[] };
  expect(doc.scenarios).toHaveLength(1);
  return doc.scenarios[0]!;
}

const failureFiles = (sandbox: Sandbox): string[] => {
  const dir = sandbox.path('.race-hunt/failures');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};

const record = (sandbox: Sandbox, file: string): SavedRecord => JSON.parse(readFileSync(sandbox.path(file), 'utf8')) as SavedRecord;

/** Runs the lost-update scenario once and returns its saved failure's path (relative to the project). */
async function saveLostUpdate(sandbox: Sandbox, seed = '1'): Promise<string> {
  const exit = await race(sandbox, 'run', 'counter.scenario.ts', '--seed', seed, '--json');
  expect(exit.code, exit.stderr).toBe(1);
  const saved = only(exit).violation!.failureFile!;
  expect(saved).toMatch(/^\.race-hunt\/failures\/lost-update-[0-9a-f]{8}\.json$/);
  return saved;
}

/** Rewrites counter.ts. */
function edit(sandbox: Sandbox, from: string, to: string): void {
  const path = sandbox.path('counter.ts');
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

/** The bug stays, but one more await: a saved schedule no longer fits. */
const addAwait = (sandbox: Sandbox): void => edit(sandbox, '    const current = await this.read();', '    await Promise.resolve();\n    const current = await this.read();');
/** The bug is fixed with the same awaits: a saved schedule still fits, and passes. */
const fixKeepingAwaits = (sandbox: Sandbox): void => edit(sandbox, '    this.value = value;', '    this.value += 1; // adds to what is there now, whatever was read');
/** The bug is fixed with fewer awaits: a saved schedule no longer fits. */
const fixDroppingAwaits = (sandbox: Sandbox): void =>
  edit(sandbox, '    const current = await this.read();\n    await this.write(current + 1);', '    await Promise.resolve();\n    this.value += 1;');

describe('saved failures replay with the options saved in them', () => {
  it('--max-steps and --timers are the saved failure’s, not the run’s, and the report says so', async () => {
    const sandbox = project();
    const first = await race(sandbox, 'run', 'spin.scenario.ts', '--seed', '1', '--max-steps', '40', '--timers', 'strict', '--json');
    expect(first.code, first.stderr).toBe(1);
    const saved = only(first).violation!.failureFile!;
    expect(record(sandbox, saved).options).toEqual({ maxSteps: 40, timers: 'strict', instrument: [] });

    // A run with the defaults replays it as saved: 40 steps, strict timers.
    const again = await race(sandbox, 'run', 'spin.scenario.ts', '--seed', '2');
    expect(again.code, again.stderr).toBe(1);
    expect(again.stdout).toContain(`found in run 1 by corpus (${saved})`);
    expect(again.stdout).toContain('step-limit violation: no end after 80 steps, the last 40 of them scheduled fairly');
    expect(again.stdout).toContain("  replayed with the options it was saved with (--max-steps 40, --timers strict), not this run's\n");
    const command = replayCommandOf(again.stdout);
    expect(command).toMatch(/ --max-steps 40 --timers strict$/);
    const replayed = await shell(sandbox.dir, command);
    expect(replayed.code).toBe(1);
    // The same steps; only the line standing for the elided middle differs (a replay saves no failure file).
    const steps = (stdout: string): string[] => traceLines(stdout).filter((l) => !l.includes(' steps elided'));
    expect(steps(replayed.stdout)).toEqual(steps(again.stdout));
  });

  it('--instrument patterns the process was not loaded with cannot be honoured: it says so, and calls it neither fixed nor stale', async () => {
    const sandbox = project();
    sandbox.write('node_modules/tiny-counter/package.json', '{ "name": "tiny-counter", "type": "module", "main": "index.js" }\n');
    sandbox.write(
      'node_modules/tiny-counter/index.js',
      'export async function increment(state) {\n  await Promise.resolve();\n  const current = state.value;\n  await Promise.resolve();\n  state.value = current + 1;\n}\n',
    );
    const first = await race(sandbox, 'run', 'package-counter.scenario.ts', '--seed', '1', '--instrument', 'tiny-counter', '--json');
    expect(first.code, first.stderr).toBe(1);
    const saved = only(first).violation!.failureFile!;
    expect(record(sandbox, saved).options.instrument).toEqual(['tiny-counter']);

    // Without the pattern the package's awaits run natively: the schedule cannot be followed.
    const without = await race(sandbox, 'run', 'package-counter.scenario.ts', '--seed', '1', '--runs', '50', '--prune-corpus', '--json');
    expect(without.code, without.stderr).toBe(0);
    const corpus = only(without).corpus!;
    expect(corpus).toMatchObject({ replayed: 1, failing: [], fixed: [], stale: [], pruned: [] });
    expect(corpus.unverified).toEqual([
      {
        file: saved,
        reason: `it was explored with --instrument tiny-counter, but this run instruments no package (race-hunt instruments with one set of patterns per process), so it could not be replayed as saved; replayed as this run instruments, it no longer followed its schedule. Check it as saved with: npx race-hunt replay ${saved}`,
      },
    ]);
    // Not pruned, and replaying the file itself (a process of its own, loaded with its patterns) still fails.
    expect(failureFiles(sandbox)).toHaveLength(1);
    const asSaved = await race(sandbox, 'replay', saved);
    expect(asSaved.code, asSaved.stdout).toBe(1);
    expect(asSaved.stdout).toContain('invariant violation: value is 1, expected 2');
  });

  it('a replay of a failure file that no longer follows its schedule names the likely cause', async () => {
    const sandbox = project();
    const saved = await saveLostUpdate(sandbox);
    expect(Object.keys(record(sandbox, saved).sources!).sort()).toEqual(['counter.scenario.ts', 'counter.ts']);
    addAwait(sandbox);
    const replayed = await race(sandbox, 'replay', saved);
    expect(replayed.code).toBe(2);
    expect(replayed.stdout).toMatch(
      /^ {2}the replay of "lost update" in counter\.scenario\.ts diverged from the schedule: .+\. Likely cause: counter\.ts changed since it was saved\.$/m,
    );
    // `shrink` of it says the same.
    const shrunk = await race(sandbox, 'shrink', saved);
    expect(shrunk.code).toBe(2);
    expect(shrunk.stdout).toMatch(/its schedule diverged: .+; likely cause: counter\.ts changed since it was saved\. Run the scenario again/);
  });
});

describe('the same bug found again updates its file', () => {
  it('found by another seed, under another schedule: the same file name', async () => {
    const [one, two] = [project(), project()];
    const [first, second] = await Promise.all([saveLostUpdate(one, '1'), saveLostUpdate(two, '2')]);
    expect(record(one, first).original.schedule).not.toBe(record(two, second).original.schedule);
    expect(second).toBe(first);
  });

  it('found again once its saved schedule went stale: the file is rewritten, keeping the first sighting and counting', async () => {
    const sandbox = project();
    const saved = await saveLostUpdate(sandbox);
    const before = record(sandbox, saved);
    expect(before.seen).toBeUndefined();
    addAwait(sandbox);
    const again = await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '1', '--json');
    expect(again.code, again.stderr).toBe(1);
    const scenario = only(again);
    expect(scenario.corpus!.stale).toEqual([{ file: saved, divergence: expect.any(String) as string, cause: 'likely cause: counter.ts changed since it was saved' }]);
    expect(scenario.violation!.foundBy).not.toMatch(/^corpus/);
    expect(scenario.violation!.failureFile).toBe(saved);
    expect(failureFiles(sandbox)).toEqual([saved.replace('.race-hunt/failures/', '')]);
    const after = record(sandbox, saved);
    expect(after.schedule).toBe(scenario.violation!.schedule);
    expect(after.schedule).not.toBe(before.schedule);
    expect(after).toMatchObject({ createdAt: before.createdAt, seen: 2 });
    expect(after.lastSeen! > before.createdAt).toBe(true);
  });
});

describe('--no-corpus', () => {
  it('neither replays nor saves; the report keeps the failure, and says how', async () => {
    const sandbox = project();
    const fresh = await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '1', '--no-corpus');
    expect(fresh.code, fresh.stderr).toBe(1);
    expect(existsSync(sandbox.path('.race-hunt'))).toBe(false);
    expect(fresh.stdout).toContain('  not saved (--no-corpus): the replay command above is the record of it\n');
    expect(fresh.stdout).not.toContain('saved:');
    const replayed = await shell(sandbox.dir, replayCommandOf(fresh.stdout));
    expect(replayed.code).toBe(1);
    expect(traceLines(replayed.stdout)).toEqual(traceLines(fresh.stdout));

    // A saved failure is neither replayed nor touched.
    const saved = await saveLostUpdate(sandbox);
    const text = readFileSync(sandbox.path(saved), 'utf8');
    const skipping = only(await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '3', '--no-corpus', '--json'));
    expect(skipping.violation!.foundBy).not.toMatch(/^corpus/);
    expect(skipping.violation!.failureFile).toBeUndefined();
    expect(skipping.corpus).toBeUndefined();
    expect(readFileSync(sandbox.path(saved), 'utf8')).toBe(text);

    const help = await race(sandbox, 'run', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('--no-corpus neither replay nor save failures in .race-hunt/failures/ (a violation is then kept only in the report: its replay command reproduces it)');
  });

  it('and --prune-corpus contradict each other', async () => {
    const exit = await race(project(), 'run', 'counter.scenario.ts', '--no-corpus', '--prune-corpus');
    expect(exit.code).toBe(2);
    expect(exit.stderr).toBe('race-hunt: --prune-corpus removes saved failures that a run replays, and --no-corpus replays none: drop one of them.\n');
  });
});

describe('saved failures that no longer fail', () => {
  it('one that now passes is reported fixed, in both reporters; --prune-corpus removes it', async () => {
    const sandbox = project();
    const saved = await saveLostUpdate(sandbox);
    fixKeepingAwaits(sandbox);
    const human = await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '1', '--runs', '100');
    expect(human.code, human.stdout).toBe(0);
    expect(human.stdout).toContain(`  corpus: 1 saved failure replayed — 1 fixed\n    fixed: ${saved} — its schedule now passes; --prune-corpus removes it\n`);
    const json = only(await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '1', '--runs', '100', '--json'));
    expect(json).toMatchObject({ status: 'pass', corpus: { replayed: 1, fixed: [saved], stale: [], pruned: [] } });
    expect(existsSync(sandbox.path(saved))).toBe(true);

    const pruning = only(await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '1', '--runs', '100', '--prune-corpus', '--json'));
    expect(pruning.corpus).toMatchObject({ fixed: [saved], pruned: [saved] });
    expect(failureFiles(sandbox)).toEqual([]);
  });

  it('one whose schedule no longer fits is reported stale, with the likely cause; --prune-corpus removes it too', async () => {
    const sandbox = project();
    const saved = await saveLostUpdate(sandbox);
    fixDroppingAwaits(sandbox);
    const human = await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '1', '--runs', '100');
    expect(human.code, human.stdout).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^ {4}stale: ${saved.replace(/\./g, '\\.')} — its schedule no longer fits the code \\(.+\\); likely cause: counter\\.ts changed since it was saved; --prune-corpus removes it$`, 'm'),
    );
    const pruning = only(await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '1', '--runs', '100', '--prune-corpus', '--json'));
    expect(pruning.corpus!.stale.map((s) => s.file)).toEqual([saved]);
    expect(pruning.corpus!.pruned).toEqual([saved]);
    expect(failureFiles(sandbox)).toEqual([]);
  });
});

describe('unusable files in the corpus', () => {
  it('each gets a one-line warning naming it and what to do, and is skipped; never an internal error', async () => {
    const sandbox = project();
    const saved = await saveLostUpdate(sandbox);
    const good = JSON.parse(readFileSync(sandbox.path(saved), 'utf8')) as Record<string, unknown>;
    const { options: _options, ...missingOptions } = good;
    const bad: Record<string, string | Buffer> = {
      'lost-update-00000001.json': '{ "format": "race-hunt-fail',
      'lost-update-00000002.json': 'null',
      'lost-update-00000003.json': JSON.stringify({ ...good, format: 'race-hunt-failure/9' }),
      'lost-update-00000004.json': JSON.stringify(missingOptions),
      'lost-update-00000005.json': Buffer.from([0xff, 0x00, 0x9c, 0x12, 0x80, 0x7b]),
      'lost-update-00000006.json': JSON.stringify({ ...good, schedule: 'rh1.%%%' }),
      'lost-update-00000007.json': JSON.stringify({ ...good, options: { maxSteps: 10_000, timers: 'slow', instrument: [] } }),
    };
    for (const [name, content] of Object.entries(bad)) writeFileSync(sandbox.path(`.race-hunt/failures/${name}`), content);

    const exit = await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '5');
    expect(exit.code, exit.stdout + exit.stderr).toBe(1); // the good file still fails
    expect(exit.stdout).toContain(`found in run 1 by corpus (${saved})`);
    const warnings = exit.stderr.trimEnd().split('\n');
    expect(warnings).toEqual([
      'race-hunt: warning: .race-hunt/failures/lost-update-00000001.json is not a usable failure file (it is not valid JSON); skipped. Delete it: running the scenario again saves any failure it finds.',
      'race-hunt: warning: .race-hunt/failures/lost-update-00000002.json is not a usable failure file (the file is null, not an object); skipped. Delete it: running the scenario again saves any failure it finds.',
      'race-hunt: warning: .race-hunt/failures/lost-update-00000003.json is not a usable failure file (its format is race-hunt-failure/9, from another version of race-hunt (this one reads race-hunt-failure/1)); skipped. Delete it: running the scenario again saves any failure it finds.',
      'race-hunt: warning: .race-hunt/failures/lost-update-00000004.json is not a usable failure file (options is missing, not an object); skipped. Delete it: running the scenario again saves any failure it finds.',
      'race-hunt: warning: .race-hunt/failures/lost-update-00000005.json is not a usable failure file (it is not valid JSON); skipped. Delete it: running the scenario again saves any failure it finds.',
      'race-hunt: warning: .race-hunt/failures/lost-update-00000006.json is not a usable failure file (schedule is not a schedule token (a schedule token holds only A-Z a-z 0-9 _ -)); skipped. Delete it: running the scenario again saves any failure it finds.',
      'race-hunt: warning: .race-hunt/failures/lost-update-00000007.json is not a usable failure file (options.timers is "slow", not one of fuzz, strict); skipped. Delete it: running the scenario again saves any failure it finds.',
    ]);
    const json = await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '5', '--json');
    expect(only(json).corpus!.warnings).toHaveLength(7);
    expect(json.stderr.trimEnd().split('\n')).toEqual(warnings);

    // Named on the command line, each is a one-paragraph error (exit 2), never an internal one.
    for (const command of ['replay', 'shrink', 'report']) {
      for (const name of Object.keys(bad)) {
        const named = await race(sandbox, command, `.race-hunt/failures/${name}`);
        expect(named.code, `${command} ${name}`).toBe(2);
        expect(named.stderr).toMatch(new RegExp(`^race-hunt: \\.race-hunt/failures/${name.replace('.', '\\.')} is not a usable race-hunt failure file \\(race-hunt-failure/1\\): .+\\.\\n$`));
        expect(named.stdout + named.stderr).not.toMatch(/internal error/);
        expect(internalFrames(named.stdout + named.stderr)).toEqual([]);
      }
    }
  });
});

describe('--report', () => {
  it('writes the bug report of a failure replayed from the corpus', async () => {
    const sandbox = project();
    const saved = await saveLostUpdate(sandbox);
    const hit = only(await race(sandbox, 'run', 'counter.scenario.ts', '--seed', '2', '--report', 'reports', '--json'));
    expect(hit.violation!.foundBy).toBe(`corpus (${saved})`);
    const base = saved.replace('.race-hunt/failures/', '').replace(/\.json$/, '');
    expect(hit.violation!.reportFiles).toEqual([`reports/${base}.md`, `reports/${base}.svg`, `reports/${base}.html`]);
    const markdown = readFileSync(sandbox.path(`reports/${base}.md`), 'utf8');
    expect(markdown).toContain('# race-hunt: invariant in "lost update"');
    expect(markdown).toContain(hit.violation!.replay);
    expect(readFileSync(sandbox.path(`reports/${base}.svg`), 'utf8')).toMatch(/^<svg [^>]*data-lanes="2"/);
  });
});
