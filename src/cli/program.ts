import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { RunReport } from '../core/report.js';
import { exitCodeOf } from '../core/report.js';
import { EXIT, RaceHuntError } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import { jsonReporter } from '../reporters/json.js';
import type { Reporter } from '../reporters/reporter.js';
import { terminalReporter } from '../reporters/terminal.js';
import type { StrategyName } from '../strategies/registry.js';
import { STRATEGY_NAMES } from '../strategies/registry.js';

/** Where the CLI writes, and how it exits: injectable so tests need not spawn a process. */
export interface CliIo {
  readonly out: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly err: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly cwd: string;
}

function wholeNumber(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} takes a whole number.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} takes a number from ${min} to ${max}.`);
    return n;
  };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('--shrink-time takes a duration such as 10s, 500ms or 2m.');
  return ms;
}

function commonOptions(command: Command): Command {
  return command
    .option('--max-steps <n>', 'steps per execution before it counts as a livelock', wholeNumber('--max-steps', 1), 10_000)
    .addOption(new Option('--timers <mode>', 'fuzz: a pending timer may fire at any step; strict: only when nothing else is ready').choices(['fuzz', 'strict']).default('fuzz'))
    .option('--instrument <pattern>', 'also instrument packages under node_modules matching this name (repeatable; * wildcards)', collect, [])
    .option('--json', 'print one JSON document on stdout instead of the human report');
}

function reporterFor(json: boolean | undefined, io: CliIo): Reporter {
  return json === true
    ? jsonReporter(
        (text) => io.out.write(text),
        (text) => io.err.write(text),
      )
    : terminalReporter({ out: io.out, err: io.err, cwd: io.cwd });
}

/**
 * Builds the `race-hunt` program. The actions call the programmatic API (imported lazily,
 * so `--help` stays fast) and resolve with the exit code.
 */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('race-hunt')
    .description('Explore the interleavings of async tasks at every await; report minimal, replayable traces.')
    .version(versionOf(), '-V, --version')
    .showHelpAfterError('(run race-hunt --help for usage)')
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
    })
    .exitOverride();

  commonOptions(
    program
      .command('run')
      .description('explore scenario files, or directories of *.scenario.ts modules')
      .argument('<paths...>', 'scenario files or directories')
      .option('--runs <n>', 'executions per scenario at most (default: 1000; 100000 for dfs, delay and dpor, which stop when done)', wholeNumber('--runs', 1))
      .addOption(new Option('--strategy <name>', 'how to explore').choices([...STRATEGY_NAMES]).default('portfolio'))
      .option('--depth <d>', 'pct, sites: bug depth d (d − 1 priority change points)', wholeNumber('--depth', 1, 64), 3)
      .option('--preemptions <k>', 'dfs: explore every schedule with at most k preemptions', wholeNumber('--preemptions', 0, 64), 2)
      .option('--delays <k>', 'delay: explore every schedule with at most k delays', wholeNumber('--delays', 0, 64), 2)
      .option('--seed <n>', 'seed for the exploration (default: random, printed in the summary)', wholeNumber('--seed', 0, 2 ** 32 - 1))
      .option('--scenario <name>', 'only scenarios with this exact name, or whose name contains it')
      .option('--no-shrink', 'report violations as found, without shrinking their schedules')
      .option('--no-corpus', 'neither replay nor save failures in .race-hunt/failures/ (a violation is then kept only in the report: its replay command reproduces it)')
      .option('--prune-corpus', 'remove saved failures that now pass (fixed) or no longer fit the code (stale)')
      .option('--shrink-time <duration>', 'time budget for shrinking each violation (e.g. 10s, 500ms)', duration, 10_000)
      .option('--report <dir>', 'write a bug report (Markdown, SVG swimlane, HTML) for every violation into <dir>'),
  ).action(async (paths: string[], opts: Record<string, unknown>) => {
    const { run } = await import('../api.js');
    const report = await run(paths, {
      ...(opts.runs === undefined ? {} : { runs: opts.runs as number }),
      strategy: opts.strategy as StrategyName,
      depth: opts.depth as number,
      preemptions: opts.preemptions as number,
      delays: opts.delays as number,
      ...(opts.seed === undefined ? {} : { seed: opts.seed as number }),
      ...(opts.scenario === undefined ? {} : { scenario: opts.scenario as string }),
      maxSteps: opts.maxSteps as number,
      timers: opts.timers as 'fuzz' | 'strict',
      instrument: opts.instrument as string[],
      shrink: opts.shrink as boolean,
      corpus: opts.corpus as boolean,
      pruneCorpus: opts.pruneCorpus === true,
      shrinkTimeMs: opts.shrinkTime as number,
      ...(opts.report === undefined ? {} : { reportDir: opts.report as string }),
      cwd: io.cwd,
      reporter: reporterFor(opts.json as boolean | undefined, io),
    });
    setExit(exitCodeOf(report));
  });

  commonOptions(
    program
      .command('replay')
      .description('re-run one scenario under a recorded schedule, or a saved failure file, and print its trace')
      .argument('<file>', 'the scenario file the report names, or a failure file (.race-hunt/failures/*.json)')
      .option('--scenario <name>', "the scenario's name (not needed with a failure file)")
      .option('--schedule <token>', 'the schedule token from the report (not needed with a failure file)'),
  ).action(async (file: string, opts: Record<string, unknown>) => {
    const api = await import('../api.js');
    const reporter = reporterFor(opts.json as boolean | undefined, io);
    let report: RunReport;
    if (opts.schedule === undefined && opts.scenario === undefined && file.endsWith('.json')) {
      report = await api.replayFailure(file, { cwd: io.cwd, reporter });
    } else {
      if (opts.schedule === undefined || opts.scenario === undefined) {
        throw new RaceHuntError('BAD_OPTION', 'replay needs --scenario <name> and --schedule <token> (both from the report), or a failure file from .race-hunt/failures/.');
      }
      report = await api.replay(file, {
        scenario: opts.scenario as string,
        schedule: opts.schedule as string,
        maxSteps: opts.maxSteps as number,
        timers: opts.timers as 'fuzz' | 'strict',
        instrument: opts.instrument as string[],
        cwd: io.cwd,
        reporter,
      });
    }
    setExit(exitCodeOf(report));
  });

  program
    .command('shrink')
    .description('shrink a saved failure further (with more time) and save it back')
    .argument('<failure-file>', 'a failure file from .race-hunt/failures/')
    .option('--shrink-time <duration>', 'time budget (e.g. 60s)', duration, 60_000)
    .option('--json', 'print one JSON document on stdout instead of the human report')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const { shrinkFailureFile } = await import('../api.js');
      const report = await shrinkFailureFile(file, {
        cwd: io.cwd,
        shrinkTimeMs: opts.shrinkTime as number,
        reporter: reporterFor(opts.json as boolean | undefined, io),
      });
      setExit(exitCodeOf(report));
    });

  program
    .command('report')
    .description('write a bug report (Markdown, SVG swimlane diagram, HTML) for a saved failure')
    .argument('<failure-file>', 'a failure file from .race-hunt/failures/')
    .option('--out <dir>', 'where to write it', '.race-hunt/reports')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const { reportFailure } = await import('../api.js');
      for (const written of reportFailure(file, { cwd: io.cwd, outDir: opts.out as string })) io.out.write(`${written}\n`);
      setExit(EXIT.ok);
    });

  return program;
}

function versionOf(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/**
 * Runs the CLI on `argv` (without node and script) and returns the exit code. Known
 * errors print one paragraph; an unknown one is a race-hunt bug and says so.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.error;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; every usage error is a bad option (2).
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (error instanceof RaceHuntError) {
      io.err.write(`race-hunt: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err.write(`race-hunt: internal error: ${message}\nThis is a bug in race-hunt; please report it with the command you ran.\n`);
    return EXIT.error;
  }
}
