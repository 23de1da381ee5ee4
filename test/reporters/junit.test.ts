import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report.js';
import type { TraceStep } from '../../src/core/step.js';
import { escapeXmlAttribute, escapeXmlText, junitReporter, junitXml, xmlSafe } from '../../src/reporters/junit.js';
import { children, parseXml as parse, schemaViolations } from '../support/junit-schema.js';
import { scenarioReport, violationReport } from '../support/reports.js';

const attr = (element: Element, name: string): string | null => element.getAttribute(name);

const NASTY = 'a <b> & "c" \'d\'\u0000\u0007\u001b[31mred\u001b[0m \uD800 lone, \r\n next line\ttab \uFFFE 𝄞';

const report: RunReport = {
  seed: 42,
  scenarios: [
    scenarioReport({ file: 'scenarios/bank.scenario.ts', name: 'bank: credits pass', durationMs: 1234 }),
    scenarioReport({
      file: 'scenarios/bank.scenario.ts',
      name: 'bank: two credits lose an update',
      status: 'fail',
      durationMs: 9,
      violation: violationReport({ failureFile: '.race-hunt/failures/bank-1.json' }),
    }),
    scenarioReport({ file: 'scenarios/broken.scenario.ts', name: '', status: 'error', runs: 0, durationMs: 0, error: 'could not load scenarios/broken.scenario.ts: boom' }),
    scenarioReport({ file: 'scenarios/weird.scenario.ts', name: NASTY, status: 'fail', durationMs: 2, violation: violationReport({ kind: 'exception', message: NASTY }) }),
    scenarioReport({ file: 'scenarios/weird.scenario.ts', name: 'ours', status: 'error', internal: true, durationMs: 0, error: 'internal error: race-hunt failed' }),
  ],
};

describe('junitXml', () => {
  it('is a document the JUnit schema accepts: element names, required attributes, times and counts', () => {
    const xml = junitXml(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    const root = parse(xml);
    expect(root.tagName).toBe('testsuites');
    expect(schemaViolations(root)).toEqual([]);
    // The rules do catch what a CI server would reject.
    const broken = xml.replace('<testcase classname=', '<testcase kind="x" classname=').replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1').replace('<properties>', 'stray text<properties>').replace(/time="[\d.]+"/, 'time="soon"');
    expect(schemaViolations(parse(broken))).toEqual([
      'testsuites: @time "soon" is not a time',
      'testsuites/testsuite: missing @tests',
      'testsuites/testsuite: text not allowed',
      'testsuites/testsuite/testcase: @kind not allowed',
    ]);
  });

  it('has one testsuite per scenario file and one testcase per scenario, with counts that add up', () => {
    const root = parse(junitXml(report));
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => attr(s, 'name'))).toEqual(['scenarios/bank.scenario.ts', 'scenarios/broken.scenario.ts', 'scenarios/weird.scenario.ts']);
    for (const suite of suites) {
      const cases = children(suite, 'testcase');
      expect(cases.every((c) => attr(c, 'classname') === attr(suite, 'name'))).toBe(true);
      expect(Number(attr(suite, 'tests'))).toBe(cases.length);
      expect(Number(attr(suite, 'failures'))).toBe(cases.filter((c) => children(c, 'failure').length > 0).length);
      expect(Number(attr(suite, 'errors'))).toBe(cases.filter((c) => children(c, 'error').length > 0).length);
      expect(attr(suite, 'skipped')).toBe('0');
      const caseSeconds = cases.reduce((sum, c) => sum + Number(attr(c, 'time')), 0);
      expect(Number(attr(suite, 'time'))).toBeCloseTo(caseSeconds, 3);
    }
    const sum = (name: string): number => suites.reduce((total, s) => total + Number(attr(s, name)), 0);
    expect([attr(root, 'tests'), attr(root, 'failures'), attr(root, 'errors')].map(Number)).toEqual([sum('tests'), sum('failures'), sum('errors')]);
    expect([sum('tests'), sum('failures'), sum('errors')]).toEqual([5, 2, 2]);
    expect(Number(attr(root, 'time'))).toBeCloseTo(1.245, 3);
    const bank = children(suites[0]!, 'testcase');
    expect(bank.map((c) => [attr(c, 'name'), attr(c, 'time')])).toEqual([
      ['bank: credits pass', '1.234'],
      ['bank: two credits lose an update', '0.009'],
    ]);
    expect(children(children(suites[0]!, 'properties')[0]!, 'property').map((p) => [attr(p, 'name'), attr(p, 'value')])).toEqual([['seed', '42']]);
  });

  it('makes a violation a <failure> of its kind holding the plain trace, the replay command and the failure file', () => {
    const root = parse(junitXml(report, { source: (l) => (l === 'src/account.ts:2:3' ? 'await this.load();' : undefined) }));
    const failure = children(children(children(root, 'testsuite')[0]!, 'testcase')[1]!, 'failure')[0]!;
    expect(attr(failure, 'type')).toBe('invariant');
    expect(attr(failure, 'message')).toBe('balance is 1, expected 2');
    const text = failure.textContent!;
    expect(text.split('\n')).toEqual([
      'invariant violation: balance is 1, expected 2',
      'trace (3 steps, 1 preemption; found in run 17 by pct(d=2)):',
      '  1   alice  starts',
      '  2   alice  src/account.ts:2:3  │ await this.load();',
      '  3   bob    starts',
      '✘ balance is 1, expected 2',
      `replay: ${violationReport().replay}`,
      'saved:  .race-hunt/failures/bank-1.json',
    ]);
  });

  it('makes a scenario that could not run an <error>, naming race-hunt’s own failures as such', () => {
    const suites = children(parse(junitXml(report)), 'testsuite');
    const load = children(suites[1]!, 'testcase')[0]!;
    expect(attr(load, 'name')).toBe('(loading the file)');
    const error = children(load, 'error')[0]!;
    expect([attr(error, 'type'), attr(error, 'message'), error.textContent]).toEqual(['error', 'could not load scenarios/broken.scenario.ts: boom', 'could not load scenarios/broken.scenario.ts: boom']);
    expect(attr(children(children(suites[2]!, 'testcase')[1]!, 'error')[0]!, 'type')).toBe('internal error');
  });

  it('escapes markup, keeps line breaks and tabs in attributes, and replaces what XML 1.0 forbids', () => {
    const xml = junitXml(report);
    // Nothing outside XML 1.0's characters, no raw escape codes.
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)).toBe(false);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(xml)).toBe(false); // no lone surrogate
    const weird = children(children(parse(xml), 'testsuite')[2]!, 'testcase')[0]!;
    const expected = 'a <b> & "c" \'d\'\uFFFD\uFFFDred \uFFFD lone, \r\n next line\ttab \uFFFD 𝄞';
    expect(attr(weird, 'name')).toBe(expected);
    expect(attr(children(weird, 'failure')[0]!, 'message')).toBe(expected);
    expect(children(weird, 'failure')[0]!.textContent).toContain(`exception violation: ${expected}`);
  });

  it('elides the middle of a long trace, naming the failure file that has it whole', () => {
    const trace = Array.from({ length: 5_000 }, (_, i): TraceStep => ({ kind: 'resume', task: i % 2 ? 'pong' : 'ping', location: 'src/spin.ts:3:5' }));
    const violation = violationReport({ kind: 'step-limit', message: 'no end', trace, steps: 5_000, failureFile: '.race-hunt/failures/spin-1.json' });
    const xml = junitXml({ seed: 1, scenarios: [scenarioReport({ status: 'fail', violation })] });
    expect(xml.length).toBeLessThan(8_000);
    const text = parse(xml).getElementsByTagName('failure')[0]!.textContent!;
    expect(text).toContain('… 4,940 steps elided: the whole trace is in .race-hunt/failures/spin-1.json');
    expect(text.split('\n').filter((l) => /^ *\d+ /.test(l))).toHaveLength(60);
  });

  it('escapes text and attributes exactly', () => {
    expect(xmlSafe('a\u0001b\u001b[1mc')).toBe('a\uFFFDbc');
    expect(escapeXmlText('<a & b>]]>\r\n')).toBe('&lt;a &amp; b&gt;]]&gt;&#13;\n');
    expect(escapeXmlAttribute('"x"\n\ty')).toBe('&quot;x&quot;&#10;&#9;y');
  });
});

describe('junitReporter', () => {
  it('writes one document when the run ends, saying nothing before', () => {
    const writes: string[] = [];
    const reporter = junitReporter((text) => writes.push(text), { cwd: '/nonexistent' });
    reporter.onRunStart?.({ seed: 42, mode: 'run' });
    for (const s of report.scenarios) reporter.onScenarioEnd?.(s);
    expect(writes).toEqual([]);
    reporter.onRunEnd?.(report);
    expect(writes).toEqual([junitXml(report)]);
  });
});
