import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report.js';
import type { TraceStep } from '../../src/core/step.js';
import type { GithubOptions } from '../../src/reporters/github.js';
import {
  escapeCommandData,
  escapeCommandProperty,
  githubCommands,
  githubReporter,
  scenarioCommands,
  summaryText,
  violationSite,
  workflowCommand,
} from '../../src/reporters/github.js';
import { scenarioReport, violationReport } from '../support/reports.js';

const OPTIONS: GithubOptions = { cwd: '/repo', ownRoot: '/opt/race-hunt' };

/** A workflow command as the runner reads it: command, properties (unescaped) and message (unescaped). */
function readCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (match === null) throw new Error(`not a workflow command: ${line}`);
  const unescape = (text: string): string => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties = Object.fromEntries(
    (match[2] ?? '')
      .split(',')
      .filter((p) => p !== '')
      .map((p) => {
        const [name, ...value] = p.split('=');
        return [name!, unescape(value.join('='))];
      }),
  );
  return { command: match[1]!, properties, message: unescape(match[3]!) };
}

describe('escaping', () => {
  it('escapes a message as GitHub’s toolkit does: %, CR and LF', () => {
    expect(escapeCommandData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
  });

  it('escapes a property value also at : and , which would end it', () => {
    expect(escapeCommandProperty('lost update: 50%, twice\n')).toBe('lost update%3A 50%25%2C twice%0A');
  });

  it('writes one line whatever the text, and reads back to the original', () => {
    const line = workflowCommand('error', { file: 'a,b.ts', line: 3, col: undefined, title: 'x: y, 100%' }, 'one\ntwo\r\n::three::');
    expect(line.split('\n')).toHaveLength(1);
    expect(line.startsWith('::error file=a%2Cb.ts,line=3,title=x%3A y%2C 100%25::')).toBe(true);
    expect(readCommand(line)).toEqual({ command: 'error', properties: { file: 'a,b.ts', line: '3', title: 'x: y, 100%' }, message: 'one\ntwo\r\n::three::' });
  });
});

describe('violationSite', () => {
  it('is the last step of the trace at a location in a user file', () => {
    const trace: TraceStep[] = [
      { kind: 'start', task: 'a' },
      { kind: 'resume', task: 'a', location: 'src/account.ts:18:5' },
      { kind: 'resume', task: 'b', location: 'src/account.ts:24:21' },
      { kind: 'resume', task: 'b', location: 'node_modules/async-mutex/lib/Mutex.js:9:3' },
      { kind: 'resume', task: 'a', location: '/elsewhere/lib.ts:1:1' },
      { kind: 'start', task: 'c' },
    ];
    expect(violationSite(violationReport({ trace }), 'scenarios/a.scenario.ts', OPTIONS)).toEqual({ file: 'src/account.ts', line: 24, col: 21 });
  });

  it('is relative to the workspace when race-hunt ran in a folder of it', () => {
    const trace: TraceStep[] = [{ kind: 'resume', task: 'a', location: 'src/account.ts:2:3' }];
    const options = { ...OPTIONS, cwd: '/repo/packages/bank', workspace: '/repo' };
    expect(violationSite(violationReport({ trace }), 'a.scenario.ts', options)).toEqual({ file: 'packages/bank/src/account.ts', line: 2, col: 3 });
    expect(violationSite(violationReport({ trace: [] }), 'a.scenario.ts', options)).toEqual({ file: 'packages/bank/a.scenario.ts' });
  });

  it('falls back to the first user frame of the stack, skipping Node, node_modules and race-hunt itself', () => {
    const stack = [
      'Error: boom',
      '    at gate (/opt/race-hunt/dist/runtime/await-point.js:10:3)',
      '    at node:internal/process/task_queues:95:5',
      '    at lib (/repo/node_modules/lib/index.js:1:1)',
      '    at withdraw (file:///repo/src/account.ts:31:11)',
      '    at main (/repo/src/main.ts:1:1)',
    ].join('\n');
    const v = violationReport({ kind: 'exception', trace: [{ kind: 'start', task: 'a' }], stack });
    expect(violationSite(v, 'scenarios/a.scenario.ts', OPTIONS)).toEqual({ file: 'src/account.ts', line: 31, col: 11 });
  });

  it('falls back to the scenario file when neither names a user file', () => {
    const v = violationReport({ trace: [{ kind: 'start', task: 'a' }], stack: 'Error: x\n    at node:internal/x:1:1' });
    expect(violationSite(v, 'scenarios/a.scenario.ts', OPTIONS)).toEqual({ file: 'scenarios/a.scenario.ts' });
  });
});

describe('githubCommands', () => {
  const report: RunReport = {
    seed: 7,
    warnings: ['--instrument tiny-kb matched no package'],
    scenarios: [
      scenarioReport({ name: 'passes' }),
      scenarioReport({
        name: 'bank: lost update',
        status: 'fail',
        violation: violationReport({ failureFile: '.race-hunt/failures/bank-1.json', blocked: [{ task: 'bob', location: 'src/account.ts:2:3' }] }),
      }),
      scenarioReport({ file: 'scenarios/broken.scenario.ts', name: '', status: 'error', error: 'could not load scenarios/broken.scenario.ts: boom' }),
    ],
  };

  it('annotates a violation at its await with the scenario and kind as title, and the trace and replay command as message', () => {
    const source = (l: string): string | undefined => (l === 'src/account.ts:2:3' ? 'await this.load();' : undefined);
    const [line] = scenarioCommands(report.scenarios[1]!, { ...OPTIONS, source });
    const read = readCommand(line!);
    expect(read.command).toBe('error');
    expect(read.properties).toEqual({ file: 'src/account.ts', line: '2', col: '3', title: 'bank: lost update: invariant' });
    expect(read.message.split('\n')).toEqual([
      'invariant violation: balance is 1, expected 2',
      'trace (3 steps, 1 preemption; found in run 17 by pct(d=2)):',
      '  1   alice  starts',
      '  2   alice  src/account.ts:2:3  │ await this.load();',
      '  3   bob    starts',
      'blocked:',
      '  bob  waits at src/account.ts:2:3  │ await this.load();',
      `replay: ${violationReport().replay}`,
      'saved: .race-hunt/failures/bank-1.json',
    ]);
  });

  it("words the trace's header as the terminal does: English counts, and 'replayed' for a replay", () => {
    const one = scenarioReport({ name: 'one', status: 'fail', violation: violationReport({ trace: [{ kind: 'start', task: 'alice' }], steps: 1, preemptions: 0, run: 1 }) });
    const header = (mode: GithubOptions['mode']): string | undefined => readCommand(scenarioCommands(one, { ...OPTIONS, mode })[0]!).message.split('\n')[1];
    expect(header('run')).toBe('trace (1 step, 0 preemptions; found in run 1 by pct(d=2)):');
    expect(header('replay')).toBe('trace (1 step, 0 preemptions; replayed):');
  });

  it('annotates a scenario error at its file, says nothing for a pass, and ends with warnings and a one-line notice', () => {
    const lines = githubCommands(report, OPTIONS).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.startsWith('::'))).toBe(true);
    expect(readCommand(lines[1]!)).toEqual({
      command: 'error',
      properties: { file: 'scenarios/broken.scenario.ts', title: 'scenarios/broken.scenario.ts: error' },
      message: 'could not load scenarios/broken.scenario.ts: boom',
    });
    expect(readCommand(lines[2]!)).toEqual({ command: 'warning', properties: { title: 'race-hunt' }, message: '--instrument tiny-kb matched no package' });
    expect(readCommand(lines[3]!)).toEqual({ command: 'notice', properties: { title: 'race-hunt' }, message: '3 scenarios — 1 passed, 1 failed, 1 error (seed 7)' });
    expect(summaryText(report, 'replay')).toBe('3 scenarios — 1 passed, 1 failed, 1 error');
  });

  it('keeps a short trace of a long one, naming the failure file that has it all', () => {
    const trace = Array.from({ length: 20_000 }, (_, i): TraceStep => ({ kind: 'resume', task: i % 2 ? 'pong' : 'ping', location: 'src/spin.ts:3:5' }));
    const violation = violationReport({ kind: 'step-limit', message: 'no end after 20000 steps', trace, steps: 20_000, failureFile: '.race-hunt/failures/spin-1.json' });
    const [line] = scenarioCommands(scenarioReport({ status: 'fail', violation }), OPTIONS);
    expect(line!.length).toBeLessThan(2_000);
    const message = readCommand(line!).message;
    expect(message).toContain('… 19,985 steps elided: the whole trace is in .race-hunt/failures/spin-1.json');
    expect(message.split('\n').filter((l) => /^ +\d+ /.test(l)).map((l) => Number(l.trim().split(' ')[0]))).toEqual([1, 2, 3, ...Array.from({ length: 12 }, (_, i) => 19_989 + i)]);
  });
});

describe('githubReporter', () => {
  it('annotates each scenario as it ends and sums up when the run ends', () => {
    const writes: string[] = [];
    const reporter = githubReporter((text) => writes.push(text), OPTIONS);
    const failing = scenarioReport({ name: 'f', status: 'fail', violation: violationReport() });
    reporter.onRunStart?.({ seed: 3, mode: 'run' });
    reporter.onScenarioEnd?.(scenarioReport());
    expect(writes).toEqual([]);
    reporter.onScenarioEnd?.(failing);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^::error file=src\/account\.ts,line=2,col=3,title=f%3A invariant::.*\n$/);
    reporter.onRunEnd?.({ seed: 3, scenarios: [scenarioReport(), failing] });
    expect(writes.at(-1)).toBe('::notice title=race-hunt::2 scenarios — 1 passed, 1 failed (seed 3)\n');
  });
});
