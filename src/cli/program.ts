import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { RunReport } from '../core/report.js';
import { exitCodeOf } from '../core/report.js';
import { EXIT, RaceHuntError } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import { addReporterOptions, reporterFromOptions } from './reporters-option.js';
import { STRATEGY_NAMES } from '../strategies/registry.js';
import { defaultWorkers } from '../workers/default-workers.js';
import type { Shard } from '../core/shard.js';
import { parseShard } from '../core/shard.js';
import { settingsOf } from './settings-of.js';

/** Where the CLI writes, and how it exits: injectable so tests need not spawn a process. */
export interface CliIo {
  readonly out: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly err: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: `run` stops exploring and reports what it explored. */
  readonly signal?: AbortSignal;
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

function durationOf(flag: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === undefined || ms <= 0) throw new InvalidArgumentError(`${flag} takes a duration such as 10s, 500ms or 2m.`);
    return ms;
  };
}
const duration = durationOf('--shrink-time');

function shardOption(value: string): Shard {
  const shard = parseShard(value);
  if (typeof shard === 'string') throw new InvalidArgumentError(shard);
  return shard;
}

function commonOptions(command: Command): Command {
  return addReporterOptions(
    command
      .option('--max-steps <n>', 'steps per execution before it counts as a livelock', wholeNumber('--max-steps', 1), 10_000)
      .addOption(new Option('--timers <mode>', 'fuzz: a pending timer may fire at any step; strict: only when nothing else is ready').choices(['fuzz', 'strict']).default('fuzz'))
      .option('--instrument <pattern>', 'also instrument packages under node_modules matching this name (repeatable; * wildcards)', collect, []),
  );
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
      .argument('[paths...]', 'scenario files or directories (default: include of the config file)')
      .option('--config <file>', 'the config file (default: race-hunt.config.ts, .mts, .js or .mjs in the working directory)')
      .option('--shard <i/n>', 'explore only shard i of n (from 1), for CI jobs that split the scenarios between them (the runs, when there is one scenario and a random-family strategy)', shardOption)
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
      .addOption(new Option('--shrink-time <duration>', 'time budget for shrinking each violation (e.g. 10s, 500ms)').argParser(duration).default(10_000, '10s'))
      .option('--report <dir>', 'write a bug report (Markdown, SVG swimlane, HTML) for every violation into <dir>')
      .option('--workers <n>', 'worker threads to explore in (default: the available cores; 0: this process, without hang protection)', wholeNumber('--workers', 0, 256))
      .addOption(new Option('--run-timeout <duration>', 'a run whose worker makes no progress this long is stopped and reported as a timeout').argParser(durationOf('--run-timeout')).default(5000, '5s'))
      .option('--time-budget <duration>', 'total exploration time, shared fairly between the scenarios (without --runs, the only limit)', durationOf('--time-budget')),
  ).action(async (paths: string[], opts: Record<string, unknown>, command: Command) => {
    // The config loads before the api (and its instrumenting loader): it runs as plain code.
    const { given, defaults } = settingsOf(command);
    const { configureRun } = await import('../config/configure-run.js');
    const configured = await configureRun(paths, given, defaults, io.cwd, opts.config as string | undefined);
    // settings.reporter and settings.outputFile (`--reporter` names, `--output-file` words) come
    // merged the same way, for the flags of those names.
    const settings = configured.settings;
    // --json is `--reporter json` typed on the command line: it replaces the config's reporters.
    const jsonOnly = opts.json === true && given.reporter === undefined;
    const reporter = reporterFromOptions(jsonOnly ? opts : { ...opts, reporter: settings.reporter, outputFile: settings.outputFile }, io);
    const { run } = await import('../api.js');
    const report = await run(configured.paths, {
      ...(settings.runs === undefined ? {} : { runs: settings.runs }),
      strategy: settings.strategy,
      depth: settings.depth,
      preemptions: settings.preemptions,
      delays: settings.delays,
      ...(opts.seed === undefined ? {} : { seed: opts.seed as number }),
      ...(opts.scenario === undefined ? {} : { scenario: opts.scenario as string }),
      ...(opts.shard === undefined ? {} : { shard: opts.shard as Shard }),
      maxSteps: settings.maxSteps,
      timers: settings.timers,
      instrument: settings.instrument,
      shrink: opts.shrink as boolean,
      corpus: opts.corpus as boolean,
      pruneCorpus: opts.pruneCorpus === true,
      shrinkTimeMs: settings.shrinkTime,
      ...(opts.report === undefined ? {} : { reportDir: opts.report as string }),
      workers: settings.workers ?? defaultWorkers(),
      runTimeoutMs: settings.runTimeout,
      ...(settings.timeBudget === undefined ? {} : { timeBudgetMs: settings.timeBudget }),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
      cwd: io.cwd,
      reporter,
    });
    setExit(report.interrupted === true ? EXIT.interrupted : exitCodeOf(report));
  });

  commonOptions(
    program
      .command('replay')
      .description('re-run one scenario under a recorded schedule, or a saved failure file, and print its trace')
      .argument('<file>', 'the scenario file the report names, or a failure file (.race-hunt/failures/*.json)')
      .option('--scenario <name>', "the scenario's name (not needed with a failure file)")
      .option('--schedule <token>', 'the schedule token from the report (not needed with a failure file)')
      .addOption(new Option('--run-timeout <duration>', 'a replay that makes no progress this long is stopped and reported as a timeout').argParser(durationOf('--run-timeout')).default(5000, '5s')),
  ).action(async (file: string, opts: Record<string, unknown>) => {
    const reporter = reporterFromOptions(opts, io);
    const api = await import('../api.js');
    const runTimeoutMs = opts.runTimeout as number;
    let report: RunReport;
    if (opts.schedule === undefined && opts.scenario === undefined && file.endsWith('.json')) {
      report = await api.replayFailure(file, { cwd: io.cwd, reporter, runTimeoutMs });
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
        runTimeoutMs,
        cwd: io.cwd,
        reporter,
      });
    }
    setExit(exitCodeOf(report));
  });

  addReporterOptions(
    program
      .command('shrink')
      .description('shrink a saved failure further (with more time) and save it back')
      .argument('<failure-file>', 'a failure file from .race-hunt/failures/')
      .addOption(new Option('--shrink-time <duration>', 'time budget (e.g. 60s)').argParser(duration).default(60_000, '60s')),
  ).action(async (file: string, opts: Record<string, unknown>) => {
    const reporter = reporterFromOptions(opts, io);
    const { shrinkFailureFile } = await import('../api.js');
    const report = await shrinkFailureFile(file, { cwd: io.cwd, shrinkTimeMs: opts.shrinkTime as number, reporter });
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
