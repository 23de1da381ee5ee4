import type { RunReport, ScenarioReport } from '../core/report.js';
import { formatViolation } from './format-violation.js';
import type { SourceLookup } from './palette.js';
import type { Reporter } from './reporter.js';
import { sourceLookup } from './source-lines.js';

/** What the JUnit document needs besides the report. */
export interface JunitOptions {
  /** The command that produced the report (a replay does not say which strategy found a violation). */
  readonly mode?: 'run' | 'replay' | 'shrink';
  /** Source lines for the trace (none: locations only). */
  readonly source?: SourceLookup;
  /** Every step of a trace (`--full-trace`). */
  readonly fullTrace?: boolean;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
/** Everything XML 1.0 does not allow in a document (C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe in any XML 1.0 document: colour codes dropped, characters XML forbids replaced by U+FFFD. */
export function xmlSafe(text: string): string {
  return text.replace(ANSI, '').replace(NOT_XML, '\uFFFD');
}

/** Escapes character data. `>` too, so that `]]>` never appears; `\r` as a reference, or parsers turn it into `\n`. */
export function escapeXmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes a double-quoted attribute value; tabs and line breaks as references, which attribute normalisation keeps. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

/** Seconds with millisecond precision, as Surefire writes them ("0.009"). */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** A load error has no scenario name; its test case is named for what failed. */
const LOAD_CASE = '(loading the file)';

function testcase(s: ScenarioReport, options: JunitOptions): string[] {
  const open = `    <testcase${attributes({ classname: s.file, name: s.name === '' ? LOAD_CASE : s.name, time: seconds(s.durationMs) })}`;
  if (s.status === 'pass') return [`${open}/>`];
  if (s.status === 'error') {
    const error = s.error ?? '';
    const type = s.internal === true ? 'internal error' : 'error';
    return [`${open}>`, `      <error${attributes({ message: error, type })}>${escapeXmlText(error)}</error>`, '    </testcase>'];
  }
  const v = s.violation!;
  // The terminal's plain text, without the two spaces it indents under the scenario's line.
  const text = formatViolation(v, { mode: options.mode ?? 'run', source: options.source ?? (() => undefined), fullTrace: options.fullTrace === true })
    .map((line) => line.replace(/^ {2}/, ''))
    .join('\n');
  return [`${open}>`, `      <failure${attributes({ message: v.message, type: v.kind })}>${escapeXmlText(text)}</failure>`, '    </testcase>'];
}

/**
 * The report as JUnit XML (the shape Jenkins' junit.xsd, Surefire, GitLab and GitHub's
 * test-report actions read): one `<testsuites>`, one `<testsuite>` per scenario file, one
 * `<testcase>` per scenario; a violation is a `<failure type="<kind>">` holding the trace and
 * the replay command, a scenario that could not run an `<error>`. Times are in seconds.
 */
export function junitXml(report: RunReport, options: JunitOptions = {}): string {
  const files = new Map<string, ScenarioReport[]>();
  for (const s of report.scenarios) files.set(s.file, [...(files.get(s.file) ?? []), s]);
  const count = (list: readonly ScenarioReport[], status: ScenarioReport['status']): number => list.filter((s) => s.status === status).length;
  const time = (list: readonly ScenarioReport[]): string => seconds(list.reduce((sum, s) => sum + s.durationMs, 0));
  const all = report.scenarios;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'race-hunt', tests: all.length, failures: count(all, 'fail'), errors: count(all, 'error'), time: time(all) })}>`,
  ];
  for (const [file, scenarios] of files) {
    const suite = { name: file, tests: scenarios.length, failures: count(scenarios, 'fail'), errors: count(scenarios, 'error'), skipped: 0, time: time(scenarios), file };
    lines.push(`  <testsuite${attributes(suite)}>`);
    lines.push('    <properties>', `      <property${attributes({ name: 'seed', value: report.seed })}/>`, '    </properties>');
    for (const s of scenarios) lines.push(...testcase(s, options));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** Writes {@link junitXml} to `write` once the run ends; trace lines quote the source files under `cwd`. */
export function junitReporter(write: (text: string) => void, options: { readonly cwd: string; readonly fullTrace?: boolean }): Reporter {
  let mode: 'run' | 'replay' | 'shrink' = 'run';
  return {
    onRunStart(info) {
      mode = info.mode;
    },
    onRunEnd(report) {
      write(junitXml(report, { mode, source: sourceLookup(options.cwd), fullTrace: options.fullTrace === true }));
    },
  };
}
