import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import ora from 'ora';
import type { Ora } from 'ora';
import type { ScenarioReport, Verification } from '../core/report.js';
import type { ShardSummary } from '../core/shard.js';
import type { Palette } from './format-trace.js';
import { countOf, formatCount, formatDuration } from './format-trace.js';
import { formatViolation } from './format-violation.js';
import type { Reporter } from './reporter.js';
import { sourceLookup } from './source-lines.js';
import type { SourceFit } from './source-excerpt.js';
import { corpusLines } from './format-corpus.js';
import { claimsVerification } from '../core/uncontrolled.js';
import type { UncontrolledReport } from '../core/uncontrolled.js';
import { notVerifiedBecause, realIoPhrase, uncontrolledAwaitLines, verificationCaveat } from './format-uncontrolled.js';

export interface TerminalOptions {
  readonly out: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly err: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly cwd: string;
  /** Colour on/off; defaults to on for a TTY without NO_COLOR. */
  readonly color?: boolean;
  /**
   * `columns`: one column per task, side by side; `list`: one numbered line per step.
   * Defaults to columns on a colour terminal wide enough for the tasks, else list.
   */
  readonly layout?: 'columns' | 'list';
  /** The width to fit traces to (default: the terminal's; without a terminal, see `LOG_WIDTH`). */
  readonly width?: number;
  /** Print every step of a trace (`--full-trace`). */
  readonly fullTrace?: boolean;
}

/**
 * Where there is no terminal to fit (a pipe, a file, a CI log): the columns layout's width, and
 * the longest source line printed whole. A longer one (generated or minified code) is cut to it
 * around its await, so that it does not bury the trace; it is whole at its `file:line:col`. A
 * source width, not a line width: in a log, lines of ordinary length stay whole however much the
 * step's location and timer label take before them.
 */
const LOG_WIDTH = 120;

// Yellow is kept for preemptions.
const TASK_COLOURS = ['cyan', 'magenta', 'blue', 'green', 'red', 'white'] as const;

function paletteOf(chalk: ChalkInstance): Palette {
  return {
    task: (name, index) => chalk[TASK_COLOURS[index % TASK_COLOURS.length]!](name),
    dim: (t) => chalk.dim(t),
    bad: (t) => chalk.red(t),
    good: (t) => chalk.green(t),
    warn: (t) => chalk.yellow(t),
    bold: (t) => chalk.bold(t),
  };
}

function isTty(stream: NodeJS.WriteStream | NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WriteStream).isTTY === true;
}

/**
 * "verified: all 1,284 schedules with ≤ 2 preemptions satisfy the invariants" (qualified by what
 * ran outside race-hunt's control), or what was covered. Never "verified" while the user's own
 * code ran uninstrumented: then what was explored, and why it is no verification.
 */
export function verificationLines(report: ScenarioReport): string[] {
  const uncontrolled = report.uncontrolled;
  const caveat = verificationCaveat(uncontrolled);
  return report.verification.map((searched) => {
    // A search of a scenario with an input explored one input: every claim names it.
    const v = searched.input === undefined ? searched : { ...searched, strategy: `${searched.strategy} for the input ${searched.input}` };
    const verified = claimsVerification(v.exhaustive, uncontrolled);
    if (v.unbounded === true) {
      const runs = `${countOf(v.schedules, 'run')}, one per class of schedules that differ only in the order of independent steps`;
      if (verified) return `verified by ${v.strategy}: every schedule satisfies the invariants (${runs})${caveat}`;
      return v.exhaustive
        ? `${v.strategy}: every schedule it explored satisfies the invariants (${runs}), but ${notVerifiedBecause(uncontrolled)}`
        : `${v.strategy}: not finished within the run budget; no verification claimed (raise --runs)`;
    }
    const bound = countOf(v.bound, v.unit.replace(/s$/, ''), v.unit);
    if (v.part !== undefined) return partLine(v, v.part, verified, bound, caveat, uncontrolled);
    const all = allSchedules(v.schedules);
    if (verified) return `verified by ${v.strategy}: ${all} with ≤ ${bound} ${satisfy(v.schedules)} the invariants${caveat}`;
    if (v.exhaustive) return `${v.strategy}: ${all} with ≤ ${bound} ${satisfy(v.schedules)} the invariants, but ${notVerifiedBecause(uncontrolled)}`;
    if (v.completedBound >= 0) {
      return `${v.strategy}: ${all} with ≤ ${countOf(v.completedBound, v.unit.replace(/s$/, ''), v.unit)} ${v.schedules === 1 ? 'passes' : 'pass'}; the bound ${v.bound} was not finished (raise --runs)`;
    }
    // dfs chosen on its own and stuck below bound 0: say why, and what bounds that part too.
    const hint =
      report.strategy === 'dfs' && v.unit === 'preemptions'
        ? ". Even with no preemption, every order of the tasks' starts and hand-overs is a schedule (n tasks: n! orders); --strategy delay bounds those too"
        : '';
    return `${v.strategy}: not finished within the run budget; no verification claimed${hint}`;
  });
}

/** "replayed in 7ms", and for the shrink command "· shrunk in 9.8s": the time of each, not one for both. */
function shrinkOrReplayStats(report: ScenarioReport): string {
  const replayed = `replayed in ${formatDuration(report.durationMs)}`;
  const shrinkMs = report.violation?.shrinking?.durationMs;
  return shrinkMs === undefined ? replayed : `${replayed} · shrunk in ${formatDuration(shrinkMs)}`;
}

/** "all 1,284 schedules", or "the 1 schedule" (English for one). */
function allSchedules(n: number): string {
  return n === 1 ? 'the 1 schedule' : `all ${countOf(n, 'schedule')}`;
}

const satisfy = (n: number): string => (n === 1 ? 'satisfies' : 'satisfy');

/** A shard's part of a split search: the same claims, each about that part only. */
function partLine(v: Verification, part: NonNullable<Verification['part']>, verified: boolean, bound: string, caveat: string, uncontrolled: UncontrolledReport): string {
  const which = `${v.strategy}, part ${part.index} of ${part.count} (the shards split the schedules)`;
  const all = `${allSchedules(v.schedules)} of this part`;
  if (verified) return `verified by ${which}: ${all} with ≤ ${bound} ${satisfy(v.schedules)} the invariants${caveat}; the other shards verify the rest`;
  if (v.exhaustive) return `${which}: ${all} with ≤ ${bound} ${satisfy(v.schedules)} the invariants, but ${notVerifiedBecause(uncontrolled)}`;
  if (v.completedBound >= 0) {
    return `${which}: ${all} with ≤ ${countOf(v.completedBound, v.unit.replace(/s$/, ''), v.unit)} ${v.schedules === 1 ? 'passes' : 'pass'}; the bound ${v.bound} was not finished (raise --runs)`;
  }
  return `${which}: not finished within the run budget; no verification claimed`;
}

/**
 * "shard 2/3: 5 of 14 scenarios". A shard left with none (more shards than scenarios) says so:
 * it is not a failure, since the other shards explore every scenario.
 */
export function shardLine(shard: ShardSummary): string {
  const line = `shard ${shard.index}/${shard.count}: ${shard.scenarios} of ${countOf(shard.total, 'scenario')}`;
  if (shard.runsSplit === true) return `${line} (its runs split between the ${shard.count} shards)`;
  return shard.scenarios > 0 || shard.total === 0 ? line : `${line} (nothing to explore in this shard; the other shards have them all)`;
}

/**
 * The human reporter: a spinner with runs/s on stderr while exploring (TTY only), then per
 * scenario one summary line and, for a violation, the trace with source lines and the
 * replay command on stdout.
 */
export function terminalReporter(options: TerminalOptions): Reporter {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const color = options.color ?? (isTty(options.out) && !noColor);
  const palette = paletteOf(new Chalk({ level: color ? 1 : 0 }));
  const source = sourceLookup(options.cwd);
  const print = (line = ''): void => {
    options.out.write(`${line}\n`);
  };
  let spinner: Ora | undefined;
  let mode: 'run' | 'replay' | 'shrink' = 'run';

  const printViolation = (report: ScenarioReport): void => {
    const terminalColumns = (options.out as NodeJS.WriteStream).isTTY === true ? (options.out as NodeJS.WriteStream).columns : undefined;
    const width = options.width ?? (terminalColumns || undefined);
    const sourceFit: SourceFit = width === undefined ? { sourceWidth: LOG_WIDTH } : { lineWidth: width };
    const layout = options.layout ?? (color ? 'columns' : 'list');
    for (const line of formatViolation(report.violation!, { mode, source, palette, fullTrace: options.fullTrace === true, sourceFit, ...(layout === 'columns' ? { columnsWidth: (width ?? LOG_WIDTH) - 4 } : {}) })) print(line);
  };

  /** Where race-hunt could not interleave: native awaits, and real I/O when no verdict named it already. */
  const printUncontrolled = (report: ScenarioReport): void => {
    for (const line of uncontrolledAwaitLines(report.uncontrolled)) print(`  ${palette.warn(line)}`);
    const io = realIoPhrase(report.uncontrolled);
    const saidByVerdict = report.status === 'pass' && report.verification.some((v) => claimsVerification(v.exhaustive, report.uncontrolled));
    if (io !== undefined && !saidByVerdict) print(`  ${palette.warn(`${io}: its results and timing come from outside race-hunt`)}`);
  };

  /** What replaying the saved failures found (stdout), and the files that could not be used (stderr). */
  const printCorpus = (report: ScenarioReport): void => {
    if (report.corpus === undefined) return;
    for (const line of corpusLines(report.corpus)) print(`  ${line}`);
    for (const warning of report.corpus.warnings) options.err.write(`race-hunt: warning: ${warning}\n`);
  };

  return {
    onRunStart(info) {
      mode = info.mode;
    },
    onScenarioStart({ name }) {
      spinner = ora({ text: name, stream: options.err as NodeJS.WriteStream, isEnabled: isTty(options.err), isSilent: !isTty(options.err) });
      spinner.start();
    },
    onShrinkStart({ name, steps, preemptions }) {
      if (spinner !== undefined) spinner.text = `${name}  shrinking ${countOf(steps, 'step')} / ${countOf(preemptions, 'preemption')}`;
      else {
        spinner = ora({ text: name, stream: options.err as NodeJS.WriteStream, isEnabled: isTty(options.err), isSilent: !isTty(options.err) });
        spinner.start();
      }
    },
    onShrinkProgress({ name, runs, steps, preemptions }) {
      if (spinner !== undefined) spinner.text = `${name}  shrinking: now ${countOf(steps, 'step')} / ${countOf(preemptions, 'preemption')} (${countOf(runs, 'run')})`;
    },
    onProgress(p) {
      if (spinner === undefined) return;
      const rate = p.elapsedMs > 0 ? Math.round((p.runs / p.elapsedMs) * 1000) : 0;
      // With --time-budget and no --runs, time is the only limit: no run budget to show.
      const runs = p.budget >= Number.MAX_SAFE_INTEGER ? countOf(p.runs, 'run') : `${formatCount(p.runs)}/${countOf(p.budget, 'run')}`;
      spinner.text = `${p.name}  ${runs} · ${countOf(p.interleavings, 'interleaving')} · ${formatCount(rate)} runs/s`;
    },
    onScenarioEnd(report) {
      spinner?.stop();
      spinner = undefined;
      const where = palette.dim(report.file);
      if (report.status === 'error') {
        print(`${palette.bad('✖ error')} ${report.name === '' ? where : `${palette.bold(report.name)} ${where}`}`);
        print(`  ${report.error ?? ''}`);
        printCorpus(report);
        return;
      }
      const stats = palette.dim(
        mode !== 'run'
          ? shrinkOrReplayStats(report)
          : `${countOf(report.runs, 'run')} · ${countOf(report.interleavings, 'interleaving')} · ${countOf(report.awaitPairs, 'await pair')} · ${formatDuration(report.durationMs)}`,
      );
      const stopped = report.stopped === undefined ? undefined : report.stopped === 'time' ? 'its share of --time-budget ran out' : 'interrupted';
      if (report.status === 'pass') {
        print(`${palette.good('✔')} ${palette.bold(report.name)} ${where}  ${stats}`);
        if (stopped !== undefined) print(`  ${palette.warn(`stopped after ${countOf(report.runs, 'run')}: ${stopped}`)}`);
        for (const line of verificationLines(report)) print(`  ${line.startsWith('verified') ? palette.good(line) : palette.warn(line)}`);
        if (report.saturated) print(`  ${palette.dim('coverage looks saturated: nothing new in the latter half of the runs')}`);
        printUncontrolled(report);
        printCorpus(report);
        return;
      }
      print(`${palette.bad('✘')} ${palette.bold(report.name)} ${where}  ${stats}`);
      printViolation(report);
      printUncontrolled(report);
      printCorpus(report);
    },
    onRunEnd(report) {
      for (const warning of report.warnings ?? []) options.err.write(`race-hunt: warning: ${warning}\n`);
      const count = (status: ScenarioReport['status']): number => report.scenarios.filter((s) => s.status === status).length;
      const parts = [
        `${count('pass')} passed`,
        `${count('fail')} failed`,
        ...(count('error') > 0 ? [countOf(count('error'), 'error')] : []),
      ];
      const total = report.scenarios.length;
      const runs = report.scenarios.reduce((sum, s) => sum + s.runs, 0);
      print();
      if (report.interrupted === true) print(palette.warn(`interrupted: ${countOf(runs, 'run')} explored so far; scenarios not reached are not listed, and every failure found is saved`));
      if (report.shard !== undefined) print(shardLine(report.shard));
      print(`${countOf(total, 'scenario')} — ${parts.join(', ')}${mode === 'run' ? palette.dim(`  (seed ${report.seed})`) : ''}`);
    },
  };
}
