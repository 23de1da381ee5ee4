import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RaceHuntError } from '../core/errors.js';
import { combineReporters } from '../reporters/combine.js';
import { githubReporter } from '../reporters/github.js';
import { jsonReporter } from '../reporters/json.js';
import { junitReporter } from '../reporters/junit.js';
import type { Reporter } from '../reporters/reporter.js';
import { reportToFile } from '../reporters/report-file.js';
import { terminalReporter } from '../reporters/terminal.js';

export const REPORTER_NAMES = ['terminal', 'json', 'junit', 'github'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

/**
 * Reporters whose output is one document: it must have stdout to itself. terminal and github
 * write lines, which share a CI log (GitHub reads its commands from the same log).
 */
const DOCUMENTS: ReadonlySet<ReporterName> = new Set(['json', 'junit']);

/** The file suggested when a document reporter must leave stdout. */
const EXAMPLE_FILE: Readonly<Record<ReporterName, string>> = { terminal: 'race-hunt.txt', json: 'report.json', junit: 'report.xml', github: 'race-hunt.log' };

/** One selected reporter, and the file it writes to (undefined: stdout). */
export interface ReporterChoice {
  readonly name: ReporterName;
  readonly outputFile?: string;
}

/** The raw option values, as commander collects them. */
export interface ReporterOptionValues {
  readonly reporter?: readonly string[];
  readonly outputFile?: readonly string[];
  readonly json?: boolean;
  /** `--full-trace`: every step, in every reporter but GitHub's annotations (which have a size limit). */
  readonly fullTrace?: boolean;
}

// No default value: commander would print "(default: [])" in the help.
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds `--reporter`, `--output-file` and `--json` to a command. */
export function addReporterOptions(command: Command): Command {
  return command
    .option('--reporter <names>', `how to report: ${REPORTER_NAMES.join(', ')} (repeatable, or a comma list; default terminal)`, collect)
    .option('--output-file <reporter=path>', "write a reporter's output to a file instead of stdout (repeatable), e.g. junit=report.xml", collect)
    .option('--json', 'the same as --reporter json: one JSON document on stdout')
    .option('--full-trace', 'print every step of a trace (by default the middle of one over 60 steps is left out; the failure file has it all)');
}

function isReporterName(name: string): name is ReporterName {
  return (REPORTER_NAMES as readonly string[]).includes(name);
}

/**
 * The reporters the options select, each with its file: `--reporter` names (repeated or comma
 * lists), `--json` for json, terminal when none is named. Throws a {@link RaceHuntError} (exit
 * 2) for an unknown name, a malformed or stray `--output-file`, or two reporters that would
 * mix their output.
 */
export function chooseReporters(values: ReporterOptionValues): ReporterChoice[] {
  const names: ReporterName[] = [];
  for (const word of (values.reporter ?? []).flatMap((list) => list.split(','))) {
    const name = word.trim();
    if (!isReporterName(name)) {
      throw new RaceHuntError('BAD_OPTION', `--reporter takes ${REPORTER_NAMES.join(', ')} (repeated, or as a comma list such as --reporter terminal,junit); got "${word}".`);
    }
    if (!names.includes(name)) names.push(name);
  }
  if (values.json === true && !names.includes('json')) names.push('json');
  if (names.length === 0) names.push('terminal');

  const files = new Map<ReporterName, string>();
  for (const spec of values.outputFile ?? []) {
    const match = /^([^=]+)=(.+)$/.exec(spec);
    const name = match?.[1]!.trim();
    if (match === null || name === undefined || !isReporterName(name)) {
      throw new RaceHuntError('BAD_OPTION', `--output-file takes <reporter>=<path>, the reporter one of ${REPORTER_NAMES.join(', ')}, e.g. --output-file junit=report.xml; got "${spec}".`);
    }
    if (!names.includes(name)) {
      throw new RaceHuntError('BAD_OPTION', `--output-file ${spec} names the ${name} reporter, which is not selected (selected: ${names.join(', ')}). Add --reporter ${name}, or leave that --output-file out.`);
    }
    if (files.has(name)) {
      throw new RaceHuntError('BAD_OPTION', `--output-file names the ${name} reporter twice (${files.get(name)} and ${match[2]}); give each reporter one file.`);
    }
    const clash = [...files].find(([, path]) => resolve(path) === resolve(match[2]!));
    if (clash !== undefined) {
      throw new RaceHuntError('BAD_OPTION', `--output-file sends both ${clash[0]} and ${name} to ${match[2]}, where one would overwrite the other; give each reporter its own file.`);
    }
    files.set(name, match[2]!);
  }

  const onStdout = names.filter((name) => !files.has(name));
  const document = onStdout.find((name) => DOCUMENTS.has(name));
  if (document !== undefined && onStdout.length > 1) {
    // Of two documents, move junit to a file (json was there first, as --json).
    const move = onStdout.includes('junit') ? 'junit' : document;
    const others = onStdout.filter((name) => name !== move);
    throw new RaceHuntError(
      'BAD_OPTION',
      `the ${onStdout.join(' and ')} reporters would ${onStdout.length === 2 ? 'both' : 'all'} write to stdout, where the ${move === 'junit' ? 'JUnit XML' : 'JSON'} document would be mixed with the ${others.join(' and ')} output and no tool could read it. Send it to a file instead, e.g. --output-file ${move}=${EXAMPLE_FILE[move]}.`,
    );
  }
  return names.map((name) => (files.has(name) ? { name, outputFile: files.get(name)! } : { name }));
}

/** Where the CLI writes. */
export interface ReporterIo {
  readonly out: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly err: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly cwd: string;
}

/** One selected reporter writing to `out`. */
function build(name: ReporterName, out: NodeJS.WriteStream | NodeJS.WritableStream, io: ReporterIo, fullTrace: boolean): Reporter {
  const write = (text: string): void => void out.write(text);
  switch (name) {
    case 'terminal':
      return terminalReporter({ out, err: io.err, cwd: io.cwd, fullTrace });
    case 'json':
      return jsonReporter(write, undefined, { fullTrace });
    case 'junit':
      return junitReporter(write, { cwd: io.cwd, fullTrace });
    case 'github': {
      const workspace = process.env.GITHUB_WORKSPACE;
      return githubReporter(write, { cwd: io.cwd, ...(workspace === undefined || workspace === '' ? {} : { workspace }) });
    }
  }
}

/**
 * The reporter the options ask for: every chosen one, each on stdout or in its file (written
 * atomically when the run ends), combined into one. Warnings go to stderr once: the terminal
 * reporter prints them; without it, a small reporter does.
 */
export function reporterFromOptions(values: ReporterOptionValues, io: ReporterIo): Reporter {
  const choices = chooseReporters(values);
  const reporters = choices.map(({ name, outputFile }) =>
    outputFile === undefined
      ? build(name, io.out, io, values.fullTrace === true)
      : reportToFile(resolve(io.cwd, outputFile), (out) => build(name, out, io, values.fullTrace === true)),
  );
  if (!choices.some((c) => c.name === 'terminal')) {
    reporters.push({
      onRunEnd(report) {
        for (const warning of report.warnings ?? []) io.err.write(`race-hunt: warning: ${warning}\n`);
        for (const scenario of report.scenarios) for (const warning of scenario.corpus?.warnings ?? []) io.err.write(`race-hunt: warning: ${warning}\n`);
      },
    });
  }
  return reporters.length === 1 ? reporters[0]! : combineReporters(reporters);
}
