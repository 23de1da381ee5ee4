import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailureRecord } from '../../src/failures/failure-record.js';
import { assertBuilt } from '../support/dist-api.js';
import { internalFrames, raceHunt, replayCommandOf, traceLines } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import { children, parseXml, schemaViolations } from '../support/junit-schema.js';
import { locate } from '../support/locate.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// The real binary with --reporter and --output-file: JUnit files, GitHub workflow commands,
// combinations, and long traces that stay short in every output while the failure file keeps them whole.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
});
afterAll(() => sandbox.remove());
const race = (...args: string[]): Promise<Exit> => raceHunt(sandbox.dir, args);

const record = (file: string): FailureRecord => JSON.parse(readFileSync(sandbox.path(file), 'utf8')) as FailureRecord;

/** A workflow command's parts, unescaped as the runner does. */
function readCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (match === null) throw new Error(`not a workflow command: ${line}`);
  const unescape = (text: string): string => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties = Object.fromEntries(
    (match[2] ?? '')
      .split(',')
      .filter((p) => p !== '')
      .map((p) => [p.slice(0, p.indexOf('=')), unescape(p.slice(p.indexOf('=') + 1))]),
  );
  return { command: match[1]!, properties, message: unescape(match[3]!) };
}

describe('--reporter junit', () => {
  it('writes a JUnit file for a buggy and a fixed scenario, atomically and making its folders, and nothing on stdout', async () => {
    const run = await race('run', 'lost-update.scenario.ts', 'pass.scenario.ts', '--seed', '7', '--runs', '300', '--reporter', 'junit', '--output-file', 'junit=reports/ci/r.xml');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
    expect(readdirSync(sandbox.path('reports/ci'))).toEqual(['r.xml']);
    const root = parseXml(readFileSync(sandbox.path('reports/ci/r.xml'), 'utf8'));
    expect(schemaViolations(root)).toEqual([]);
    expect([root.getAttribute('tests'), root.getAttribute('failures'), root.getAttribute('errors')]).toEqual(['2', '1', '0']);
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => [s.getAttribute('name'), s.getAttribute('tests'), s.getAttribute('failures')])).toEqual([
      ['lost-update.scenario.ts', '1', '1'],
      ['pass.scenario.ts', '1', '0'],
    ]);
    const [buggy] = children(suites[0]!, 'testcase');
    expect([buggy!.getAttribute('classname'), buggy!.getAttribute('name')]).toEqual(['lost-update.scenario.ts', 'lost update']);
    const failure = children(buggy!, 'failure')[0]!;
    expect([failure.getAttribute('type'), failure.getAttribute('message')]).toEqual(['invariant', 'value is 1, expected 2']);
    const [fixed] = children(suites[1]!, 'testcase');
    expect(fixed!.getAttribute('name')).toBe('atomic increments');
    expect(fixed!.childNodes.length).toBe(0);

    // The failure's text is the terminal's plain report: the same trace and the same replay command.
    const terminal = await race('run', 'lost-update.scenario.ts', '--seed', '7', '--runs', '300');
    const text = failure.textContent!;
    const indented = text.split('\n').map((line) => `  ${line}`).join('\n');
    expect(traceLines(indented)).toEqual(traceLines(terminal.stdout));
    expect(traceLines(indented).length).toBeGreaterThanOrEqual(6);
    expect(replayCommandOf(indented)).toBe(replayCommandOf(terminal.stdout));
    expect(text).toMatch(new RegExp(`${locate('lib/counter.ts', 'await this.write(current + 1)')} +│ await this\\.write\\(current \\+ 1\\);`));
  });

  it('goes beside the terminal report, and replay and shrink take it too', async () => {
    const run = await race('run', 'lost-update.scenario.ts', '--seed', '7', '--runs', '300', '--reporter', 'terminal,junit', '--output-file', 'junit=both.xml');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✘ lost update lost-update\.scenario\.ts/);
    const saved = /^ {2}saved: {2}(\S+)$/m.exec(run.stdout)![1]!;
    expect(parseXml(readFileSync(sandbox.path('both.xml'), 'utf8')).getElementsByTagName('failure')).toHaveLength(1);

    const replayed = await race('replay', saved, '--reporter', 'junit', '--output-file', 'junit=replayed.xml');
    expect(replayed.code).toBe(1);
    const replayFailure = parseXml(readFileSync(sandbox.path('replayed.xml'), 'utf8')).getElementsByTagName('failure')[0]!;
    expect(replayFailure.textContent).toMatch(/^trace \(\d+ steps, 1 preemption; replayed\):$/m); // a replay names no strategy or run
    const annotated = await race('replay', saved, '--reporter', 'github');
    expect(annotated.code).toBe(1);
    expect(annotated.stdout).toMatch(/^::error .*::.*%0Atrace \(\d+ steps, 1 preemption; replayed\):%0A/m); // the annotation's words too

    const shrunk = await race('shrink', saved, '--shrink-time', '2s', '--reporter', 'github');
    expect(shrunk.code).toBe(1);
    expect(shrunk.stdout).toMatch(/^::error file=lib\/counter\.ts,line=\d+,col=\d+,title=lost update%3A invariant::/m);
    expect(shrunk.stdout).toMatch(/^::notice title=race-hunt::1 scenario — 0 passed, 1 failed$/m);
  });
});

describe('--reporter github', () => {
  it('annotates a violation at the await where its last step resumed, an error at its file, and sums up in a notice', async () => {
    const run = await race('run', 'mixed', '--seed', '3', '--runs', '300', '--reporter', 'github', '--reporter', 'json', '--output-file', 'json=github-run.json');
    expect(run.code, run.stderr).toBe(2);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.every((l) => l.startsWith('::'))).toBe(true);
    const commands = lines.map(readCommand);
    expect(commands.map((c) => c.command)).toEqual(['error', 'error', 'notice']);

    // The violation: at the location of the trace's last step (a user file), as the JSON report has it.
    const doc = JSON.parse(readFileSync(sandbox.path('github-run.json'), 'utf8')) as { scenarios: { name: string; violation?: { trace: { location?: string }[]; replay: string } }[] };
    const violation = doc.scenarios.find((s) => s.name === 'mixed: fails')!.violation!;
    const last = violation.trace.at(-1)!.location!;
    const [file, line, col] = last.split(':');
    expect(file).toBe('lib/counter.ts');
    expect(commands[0]!.properties).toEqual({ file, line, col, title: 'mixed: fails: invariant' });
    const message = commands[0]!.message.split('\n');
    expect(message[0]).toBe('invariant violation: value is 1, expected 2');
    expect(message).toContain(`replay: ${violation.replay}`);
    expect(message.at(-1)).toMatch(/^saved: \.race-hunt\/failures\/mixed-fails-[0-9a-f]{8}\.json$/);

    // The file that could not load: at the file, with the one-paragraph error.
    expect(commands[1]!.properties).toEqual({ file: 'mixed/c-broken.scenario.ts', title: 'mixed/c-broken.scenario.ts: error' });
    expect(commands[1]!.message).toMatch(/^could not load mixed\/c-broken\.scenario\.ts: importing it threw mixed: broken at import/);
    expect(commands[2]).toEqual({ command: 'notice', properties: { title: 'race-hunt' }, message: '3 scenarios — 1 passed, 1 failed, 1 error (seed 3)' });
  });

  it('shares stdout with the terminal report, each annotation after its scenario', async () => {
    const run = await race('run', 'lost-update.scenario.ts', '--seed', '7', '--runs', '300', '--reporter', 'terminal,github');
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✘ lost update /);
    const error = lines.findIndex((l) => l.startsWith('::error '));
    expect(lines.slice(1, error).some((l) => l.startsWith('  replay: '))).toBe(true);
    expect(lines.at(-2)).toMatch(/^1 scenario — 0 passed, 1 failed {2}\(seed 7\)$/);
    expect(lines.at(-1)).toBe('::notice title=race-hunt::1 scenario — 0 passed, 1 failed (seed 7)');
  });
});

describe('bad reporter options', () => {
  it('refuses two documents on stdout with one paragraph naming the fix, before loading anything', async () => {
    const run = await race('run', 'lost-update.scenario.ts', '--reporter', 'json,junit');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^race-hunt: the json and junit reporters would both write to stdout, .* --output-file junit=report\.xml\.\n$/);
    expect(internalFrames(run.stderr)).toEqual([]);
  });

  it('says which report file it could not write, exit 2', async () => {
    sandbox.write('not-a-folder', 'a file');
    const run = await race('run', 'pass.scenario.ts', '--runs', '20', '--reporter', 'terminal,junit', '--output-file', 'junit=not-a-folder/r.xml');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^1 scenario — 1 passed, 0 failed/m); // the other reporters still report
    expect(run.stderr).toMatch(/^race-hunt: could not write the report file .*not-a-folder\/r\.xml: E[A-Z]+: .*choose another path\.\n$/);
  });
});

describe('long traces', () => {
  it('elide the middle of a step-limit trace in the terminal; the failure file keeps every step', async () => {
    const run = await race('run', 'livelock.scenario.ts', '--max-steps', '50', '--seed', '1', '--runs', '5');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('step-limit violation: no end after 100 steps');
    const saved = /^ {2}saved: {2}(\S+)$/m.exec(run.stdout)![1]!;
    const steps = traceLines(run.stdout);
    expect(steps).toContain(`           … 40 steps elided: the whole trace is in ${saved}`);
    const numbers = steps.map((l) => /^ +(\d+) /.exec(l)?.[1]).filter((n) => n !== undefined).map(Number);
    expect(numbers.at(-1)).toBe(100);
    expect(numbers).toContain(61);
    expect(numbers.filter((n) => n > 20 && n < 61)).toEqual([]);
    expect(record(saved).trace).toHaveLength(100);
    expect(record(saved).steps).toBe(100);
  });

  it('stay short in the terminal, JSON, JUnit and GitHub outputs at once, with 10,000 steps in the failure file', async () => {
    // The 100-step livelock saved above would be replayed first (with its own --max-steps) and be the finding.
    rmSync(sandbox.path('.race-hunt'), { recursive: true, force: true });
    const run = await race(
      'run', 'livelock.scenario.ts', '--max-steps', '5000', '--seed', '1', '--runs', '5', '--no-shrink',
      '--reporter', 'terminal,github,json,junit', '--output-file', 'json=long/r.json', '--output-file', 'junit=long/r.xml',
    );
    expect(run.code, run.stderr).toBe(1);
    const saved = /^ {2}saved: {2}(\S+)$/m.exec(run.stdout)![1]!;
    const whole = record(saved);
    expect(whole.trace).toHaveLength(10_000);
    const note = `… 9,940 steps elided: the whole trace is in ${saved}`;

    // The traces are 60 steps, and the replay command names the failure file, not the long token.
    const token = whole.schedule.length;
    expect(token).toBeGreaterThan(10_000);
    expect(run.stdout.length).toBeLessThan(20_000);
    expect(run.stdout).toContain(`  replay: npx race-hunt replay ${saved}`);
    expect(run.stdout).toContain(note);
    const annotation = readCommand(run.stdout.split('\n').find((l) => l.startsWith('::error '))!);
    expect(annotation.message).toContain(`… 9,985 steps elided: the whole trace is in ${saved}`);

    const json = readFileSync(sandbox.path('long/r.json'), 'utf8');
    expect(json.length - token).toBeLessThan(20_000); // the token as `schedule`
    const violation = (JSON.parse(json) as { scenarios: { violation: { steps: number; trace: unknown[]; traceElided: unknown } }[] }).scenarios[0]!.violation;
    expect([violation.steps, violation.trace.length, violation.traceElided]).toEqual([10_000, 60, { after: 20, steps: 9_940 }]);
    expect(violation.trace).toEqual([...whole.trace.slice(0, 20), ...whole.trace.slice(9_960)]);

    const xml = readFileSync(sandbox.path('long/r.xml'), 'utf8');
    expect(xml.length - token).toBeLessThan(20_000);
    expect(parseXml(xml).getElementsByTagName('failure')[0]!.textContent).toContain(note);
  });
});
