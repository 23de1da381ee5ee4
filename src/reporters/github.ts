import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunReport, ScenarioReport, ViolationReport } from '../core/report.js';
import { firstUserFrame } from '../core/user-frame.js';
import type { TraceLimits } from './elide-trace.js';
import { elisionNote } from './elide-trace.js';
import { countOf, formatBlocked, formatTrace } from './format-trace.js';
import { traceHeader } from './format-violation.js';
import type { SourceLookup } from './palette.js';
import type { Reporter } from './reporter.js';
import { sourceLookup } from './source-lines.js';

/** Where paths are resolved and shown from. */
export interface GithubOptions {
  /** The working directory the report's paths are relative to. */
  readonly cwd: string;
  /** The repository's root, which annotation paths must be relative to (`GITHUB_WORKSPACE`); default `cwd`. */
  readonly workspace?: string;
  /** race-hunt's own folder: its frames are never the user's (default: this package's). */
  readonly ownRoot?: string;
  /** The command that produced the report (a replay does not say which strategy found a violation). */
  readonly mode?: 'run' | 'replay' | 'shrink';
  /** Source lines for the trace (none: locations only). */
  readonly source?: SourceLookup;
}

/** An annotation's message keeps a short trace: the first steps and the last ones, where the violation shows. */
export const ANNOTATION_TRACE_LIMITS: TraceLimits = { first: 3, last: 12 };

/** race-hunt's package folder (this file is dist/reporters/ or src/reporters/ in it). */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A workflow command's message: `%`, CR and LF escaped, as GitHub's toolkit does. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: the message's escapes, and `:` and `,`, which end a value. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=a.ts,line=3::message`; properties left undefined are left out. */
export function workflowCommand(command: 'error' | 'warning' | 'notice', properties: Readonly<Record<string, string | number | undefined>>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${escapeCommandProperty(String(value))}`)
    .join(',');
  return `::${command}${props === '' ? '' : ` ${props}`}::${escapeCommandData(message)}`;
}

/** Where an annotation points: a file relative to the workspace, and a line and column when known. */
export interface AnnotationSite {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
}

/** A `file:line:col` (relative to `cwd`) as an annotation site, when the file is the user's: inside the workspace, not under node_modules. */
function userSite(location: string, options: GithubOptions): AnnotationSite | undefined {
  const match = /^(.*):(\d+):(\d+)$/.exec(location);
  if (match === null) return undefined;
  const file = workspacePath(match[1]!, options);
  return file === undefined ? undefined : { file, line: Number(match[2]), col: Number(match[3]) };
}

/** A path relative to the workspace, or undefined when it lies outside it or under node_modules. */
function workspacePath(path: string, options: GithubOptions): string | undefined {
  const absolute = resolve(options.cwd, path);
  if (absolute.split('/').includes('node_modules')) return undefined;
  const shown = relative(options.workspace ?? options.cwd, absolute);
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? undefined : shown;
}

/**
 * Where a violation is annotated: the await where the violating step resumed (the last trace
 * step at a location in a user file); failing that, the first user frame of its stack;
 * failing that, the scenario file.
 */
export function violationSite(v: ViolationReport, scenarioFile: string, options: GithubOptions): AnnotationSite {
  for (let i = v.trace.length - 1; i >= 0; i--) {
    const location = v.trace[i]!.location;
    const site = location === undefined ? undefined : userSite(location, options);
    if (site !== undefined) return site;
  }
  const frame = v.stack === undefined ? undefined : firstUserFrame(v.stack, options.cwd, options.ownRoot ?? PACKAGE_ROOT);
  const fromStack = frame === undefined ? undefined : userSite(frame, options);
  return fromStack ?? { file: workspacePath(scenarioFile, options) ?? scenarioFile };
}

/** The annotation's text: what failed, a short trace, blocked tasks, the replay command and the failure file. */
function violationMessage(v: ViolationReport, options: GithubOptions): string {
  const source = options.source ?? (() => undefined);
  // The terminal's words: "10 steps, 1 preemption; found in run 4 by pct(d=3)", or "replayed".
  const lines = [`${v.kind} violation: ${v.message}`, `trace (${traceHeader(v, options.mode ?? 'run')}):`];
  const note = (elided: number): string => elisionNote(elided, v.failureFile);
  for (const line of formatTrace(v.trace, source, undefined, { limits: ANNOTATION_TRACE_LIMITS, note })) lines.push(`  ${line}`);
  if (v.blocked !== undefined && v.blocked.length > 0) {
    lines.push('blocked:');
    for (const line of formatBlocked(v.blocked, source)) lines.push(`  ${line}`);
  }
  lines.push(`replay: ${v.replay}`);
  if (v.failureFile !== undefined) lines.push(`saved: ${v.failureFile}`);
  return lines.join('\n');
}

/** The commands for one scenario: an `::error` for a violation or an error, nothing for a pass. */
export function scenarioCommands(s: ScenarioReport, options: GithubOptions): string[] {
  if (s.status === 'pass') return [];
  if (s.status === 'error') {
    const title = `${s.name === '' ? s.file : s.name}: ${s.internal === true ? 'internal error' : 'error'}`;
    return [workflowCommand('error', { file: workspacePath(s.file, options) ?? s.file, title }, s.error ?? '')];
  }
  const v = s.violation!;
  const site = violationSite(v, s.file, options);
  return [workflowCommand('error', { file: site.file, line: site.line, col: site.col, title: `${s.name}: ${v.kind}` }, violationMessage(v, options))];
}

/** "3 scenarios — 1 passed, 1 failed, 1 error (seed 7)": one line for the whole run (the terminal's too). */
export function summaryText(report: RunReport, mode: 'run' | 'replay' | 'shrink' = 'run'): string {
  const count = (status: ScenarioReport['status']): number => report.scenarios.filter((s) => s.status === status).length;
  const parts = [`${count('pass')} passed`, `${count('fail')} failed`, ...(count('error') > 0 ? [countOf(count('error'), 'error')] : [])];
  return `${countOf(report.scenarios.length, 'scenario')} — ${parts.join(', ')}${mode === 'run' ? ` (seed ${report.seed})` : ''}`;
}

/** The run's closing commands: a `::warning` per warning, then the one-line `::notice` summary. */
export function runEndCommands(report: RunReport, mode: 'run' | 'replay' | 'shrink' = 'run'): string[] {
  return [
    ...(report.warnings ?? []).map((warning) => workflowCommand('warning', { title: 'race-hunt' }, warning)),
    workflowCommand('notice', { title: 'race-hunt' }, summaryText(report, mode)),
  ];
}

/**
 * The whole report as GitHub Actions workflow commands, one per line: an `::error` annotation
 * per violation (at the await where it showed) and per scenario error, warnings, and a
 * `::notice` summary.
 */
export function githubCommands(report: RunReport, options: GithubOptions): string {
  const lines = [...report.scenarios.flatMap((s) => scenarioCommands(s, options)), ...runEndCommands(report, options.mode)];
  return `${lines.join('\n')}\n`;
}

/**
 * Writes workflow commands as the run goes: a scenario's annotation when it ends (next to the
 * terminal's report of it, when both go to the log), the summary when the run ends.
 */
export function githubReporter(write: (text: string) => void, options: Omit<GithubOptions, 'mode' | 'source'>): Reporter {
  let mode: 'run' | 'replay' | 'shrink' = 'run';
  const source = sourceLookup(options.cwd);
  const settings = (): GithubOptions => ({ ...options, mode, source });
  return {
    onRunStart(info) {
      mode = info.mode;
    },
    onScenarioEnd(report) {
      for (const line of scenarioCommands(report, settings())) write(`${line}\n`);
    },
    onRunEnd(report) {
      for (const line of runEndCommands(report, mode)) write(`${line}\n`);
    },
  };
}
