import { randomInt } from 'node:crypto';
import type { ExplorationResult } from './core/explore.js';
import { isSaturated } from './core/explore.js';
import { RaceHuntError } from './core/errors.js';
import type { RunReport, ScenarioReport, Verification, ViolationReport } from './core/report.js';
import { DEFAULT_MAX_STEPS, replayCommand } from './core/replay-command.js';
import type { ReplayOptions } from './core/replay-command.js';
import { decodeSchedule, encodeSchedule, ScheduleTokenError } from './core/schedule.js';
import type { Scenario } from './core/scenario.js';
import { displayPath } from './core/user-frame.js';
import { exploreScenario } from './explore-scenario.js';
import { registerLoader } from './instrument/register-loader.js';
import { findScenarioFiles } from './loading/find-scenario-files.js';
import type { LoadedScenario } from './loading/load-scenarios.js';
import { loadScenarios } from './loading/load-scenarios.js';
import type { Reporter } from './reporters/reporter.js';
import { openRuntimeSession } from './runtime/runtime-session.js';
import type { ExecutionSettings } from './runtime/run-execution.js';
import { replayStrategy } from './strategies/replay.js';
import type { Strategy } from './strategies/strategy.js';
import type { SearchVerdict } from './strategies/bounded-search.js';
import type { StrategyName, StrategyParameters } from './strategies/registry.js';
import { createStrategy, DEFAULT_PARAMETERS, STRATEGY_NAMES } from './strategies/registry.js';

/** Options shared by {@link run} and {@link replay}. */
export interface CommonOptions {
  /** Steps per execution before it counts as a livelock (`step-limit`). Default 10,000. */
  readonly maxSteps?: number;
  /** `fuzz` (default): a pending timer may fire at any step. `strict`: only when nothing else is ready. */
  readonly timers?: 'fuzz' | 'strict';
  /** Package-name patterns under node_modules to instrument as well (`async-mutex`, `@acme/*`). */
  readonly instrument?: readonly string[];
  /** The directory paths and trace locations are relative to. Default `process.cwd()`. */
  readonly cwd?: string;
  readonly reporter?: Reporter;
}

export interface RunOptions extends CommonOptions {
  /** Executions per scenario at most. Default 1,000 (100,000 for `dfs` and `delay`, which stop when their space is covered). */
  readonly runs?: number;
  /** How to explore. Default `portfolio`. */
  readonly strategy?: StrategyName;
  /** PCT depth (default 3). */
  readonly depth?: number;
  /** `dfs`: the preemption bound (default 2). */
  readonly preemptions?: number;
  /** `delay`: the delay bound (default 2). */
  readonly delays?: number;
  /** Seeds the exploration; the same seed explores the same schedules. Default: a fresh random seed. */
  readonly seed?: number;
  /** Only scenarios with exactly this name or, failing that, whose name contains it. */
  readonly scenario?: string;
}

export interface ReplayRequest extends CommonOptions {
  /** The scenario's name (exact, or a substring that matches one scenario). */
  readonly scenario: string;
  /** The schedule token from a report. */
  readonly schedule: string;
}

export const DEFAULT_RUNS = 1000;
/** Systematic strategies stop by themselves when their space is covered; this only caps them. */
export const DEFAULT_SYSTEMATIC_RUNS = 100_000;

interface Resolved {
  readonly cwd: string;
  readonly replayOptions: ReplayOptions;
  readonly reporter: Reporter;
}

function resolveCommon(options: CommonOptions): Resolved {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new RaceHuntError('BAD_OPTION', `--max-steps must be a positive whole number; got ${String(options.maxSteps)}.`);
  }
  const timers = options.timers ?? 'fuzz';
  if (timers !== 'fuzz' && timers !== 'strict') {
    throw new RaceHuntError('BAD_OPTION', `--timers must be "fuzz" or "strict"; got "${String(timers)}".`);
  }
  const instrument = [...(options.instrument ?? [])];
  for (const pattern of instrument) {
    if (!/^(@[\w.*-]+\/)?[\w.*-]+$/.test(pattern)) {
      throw new RaceHuntError('BAD_OPTION', `--instrument takes a package name or pattern such as async-mutex or @acme/*; got "${pattern}".`);
    }
  }
  return { cwd: options.cwd ?? process.cwd(), replayOptions: { maxSteps, timers, instrument }, reporter: options.reporter ?? {} };
}

function settingsOf(resolved: Resolved, keepTrace: boolean): ExecutionSettings {
  return { maxSteps: resolved.replayOptions.maxSteps, timers: resolved.replayOptions.timers, keepTrace, cwd: resolved.cwd };
}

/** Picks the scenarios a `--scenario` filter means: an exact name wins over substrings. */
function selectScenarios(loaded: readonly LoadedScenario[], filter: string | undefined): LoadedScenario[] {
  if (filter === undefined) return [...loaded];
  const exact = loaded.filter((l) => l.scenario.name === filter);
  return exact.length > 0 ? exact : loaded.filter((l) => l.scenario.name.includes(filter));
}

function errorReport(file: string, name: string, error: unknown): ScenarioReport {
  return {
    file,
    name,
    status: 'error',
    runs: 0,
    strategy: '',
    interleavings: 0,
    awaitPairs: 0,
    saturated: false,
    verification: [],
    durationMs: 0,
    error: messageOf(error),
  };
}

function boundOption(flag: string, value: number | undefined, fallback: number, min: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > 64) throw new RaceHuntError('BAD_OPTION', `${flag} must be a whole number from ${min} to 64; got ${String(value)}.`);
  return n;
}

function messageOf(error: unknown): string {
  if (error instanceof RaceHuntError) return error.message;
  if (error instanceof Error) return `race-hunt failed unexpectedly: ${error.message}. Please report this with the scenario that caused it.`;
  return String(error);
}

/**
 * Turns an exploration into a scenario report. A found violation carries its schedule,
 * trace and a replay command; a setup or teardown failure becomes an error.
 */
function scenarioReport(
  file: string,
  scenario: Scenario,
  created: ExplorationStrategy,
  result: ExplorationResult & { readonly durationMs: number },
  replayOptions: ReplayOptions,
): ScenarioReport {
  const base = {
    file,
    name: scenario.name,
    runs: result.runs,
    strategy: created.name,
    interleavings: result.interleavings,
    awaitPairs: result.awaitPairs,
    saturated: isSaturated(result.runs, result),
    verification: created.verdicts().map(
      (v): Verification => ({
        strategy: v.strategy,
        unit: v.unit,
        bound: v.bound,
        exhaustive: v.exhaustive,
        completedBound: v.completedBound,
        schedules: v.completedSchedules,
      }),
    ),
    durationMs: Math.round(result.durationMs),
  };
  const finding = result.finding;
  if (finding === undefined) return { ...base, status: 'pass' };
  const outcome = finding.result;
  if (outcome.status === 'error') {
    const phase = outcome.error.phase;
    return {
      ...base,
      status: 'error',
      error: `${phase} of scenario "${scenario.name}" in ${file} failed: ${outcome.error.message}. Fix ${phase} so that it works on its own, then run again.`,
    };
  }
  if (outcome.status === 'diverged') {
    return {
      ...base,
      status: 'error',
      error: `the replay of "${scenario.name}" in ${file} diverged from the schedule: ${outcome.divergence.message}. The scenario is not deterministic (real I/O, or randomness race-hunt does not control), or the code changed since the schedule was recorded.`,
    };
  }
  const schedule = encodeSchedule(outcome.schedule);
  const { violation } = outcome;
  const report: ViolationReport = {
    kind: violation.kind,
    message: violation.message,
    schedule,
    trace: outcome.trace ?? [],
    run: finding.run,
    foundBy: finding.strategy,
    replay: replayCommand(file, scenario.name, schedule, replayOptions),
    ...(violation.stack === undefined ? {} : { stack: violation.stack }),
    ...(violation.blocked === undefined ? {} : { blocked: violation.blocked }),
  };
  return { ...base, status: 'fail', violation: report };
}

/** A strategy for one scenario, its name as reported, and what its systematic members covered. */
interface ExplorationStrategy {
  readonly name: string;
  readonly strategy: Strategy;
  readonly verdicts: () => readonly SearchVerdict[];
}

async function exploreOne(
  file: string,
  scenario: Scenario,
  created: ExplorationStrategy,
  runs: number,
  resolved: Resolved,
  keepTrace: boolean,
): Promise<ScenarioReport> {
  const { reporter } = resolved;
  reporter.onScenarioStart?.({ file, name: scenario.name, budget: runs });
  const result = await exploreScenario({
    scenario,
    strategy: created.strategy,
    runs,
    settings: settingsOf(resolved, keepTrace),
    onProgress: (done, coverage, elapsedMs) =>
      reporter.onProgress?.({ file, name: scenario.name, runs: done, budget: runs, interleavings: coverage.interleavings, elapsedMs }),
  });
  const report = scenarioReport(file, scenario, created, result, resolved.replayOptions);
  reporter.onScenarioEnd?.(report);
  return report;
}

/**
 * Explores every scenario in `paths` (files, or directories of `*.scenario.ts` modules) and
 * reports what it found. Never throws for a problem in the user's code or input: those are
 * `error` entries in the report. Throws {@link RaceHuntError} only for bad options.
 */
export async function run(paths: readonly string[], options: RunOptions = {}): Promise<RunReport> {
  const resolved = resolveCommon(options);
  const strategyName = options.strategy ?? 'portfolio';
  if (!STRATEGY_NAMES.includes(strategyName)) {
    throw new RaceHuntError('BAD_OPTION', `--strategy must be one of ${STRATEGY_NAMES.join(', ')}; got "${String(strategyName)}".`);
  }
  const parameters: StrategyParameters = {
    depth: boundOption('--depth', options.depth, DEFAULT_PARAMETERS.depth, 1),
    preemptions: boundOption('--preemptions', options.preemptions, DEFAULT_PARAMETERS.preemptions, 0),
    delays: boundOption('--delays', options.delays, DEFAULT_PARAMETERS.delays, 0),
  };
  const systematic = strategyName === 'dfs' || strategyName === 'delay';
  const runs = options.runs ?? (systematic ? DEFAULT_SYSTEMATIC_RUNS : DEFAULT_RUNS);
  if (!Number.isInteger(runs) || runs < 1) throw new RaceHuntError('BAD_OPTION', `--runs must be a positive whole number; got ${String(options.runs)}.`);
  const seed = options.seed ?? randomInt(0, 2 ** 32);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new RaceHuntError('BAD_OPTION', `--seed must be a whole number from 0 to 4294967295; got ${String(options.seed)}.`);
  }
  if (paths.length === 0) throw new RaceHuntError('BAD_OPTION', 'name at least one scenario file or directory, e.g. `race-hunt run scenarios`.');
  const { cwd, reporter } = resolved;
  reporter.onRunStart?.({ seed, mode: 'run' });
  const scenarios: ScenarioReport[] = [];
  const add = (report: ScenarioReport): void => {
    scenarios.push(report);
  };
  registerLoader(resolved.replayOptions.instrument, cwd);
  const close = openRuntimeSession();
  let matched = 0;
  try {
    for (const resolution of findScenarioFiles(paths, cwd)) {
      if ('problem' in resolution) {
        const report = errorReport(resolution.path, '', new RaceHuntError('FILE_NOT_FOUND', resolution.problem));
        add(report);
        reporter.onScenarioEnd?.(report);
        continue;
      }
      for (const file of resolution.files) {
        const shown = displayPath(file, cwd);
        let loaded: LoadedScenario[];
        try {
          loaded = await loadScenarios(file, shown, cwd);
        } catch (error) {
          const report = errorReport(shown, '', error);
          add(report);
          reporter.onScenarioEnd?.(report);
          continue;
        }
        for (const { scenario } of selectScenarios(loaded, options.scenario)) {
          matched++;
          const created = createStrategy(strategyName, seed, parameters);
          add(await exploreOne(shown, scenario, { name: strategyName, ...created }, runs, resolved, false));
        }
      }
    }
  } finally {
    close();
  }
  if (options.scenario !== undefined && matched === 0 && !scenarios.some((s) => s.status === 'error')) {
    const report = errorReport(paths.join(' '), options.scenario, new RaceHuntError('SCENARIO_NOT_FOUND', `no scenario named or containing "${options.scenario}" in ${paths.join(', ')}. Run without --scenario to see every scenario's name.`));
    add(report);
    reporter.onScenarioEnd?.(report);
  }
  const report: RunReport = { seed, scenarios };
  reporter.onRunEnd?.(report);
  return report;
}

/**
 * Re-runs one scenario under one recorded schedule and reports its trace; a schedule taken
 * from a report reproduces that report's trace exactly. If the run no longer follows the
 * schedule, the report is an error that names the decision where it diverged.
 */
export async function replay(file: string, request: ReplayRequest): Promise<RunReport> {
  const resolved = resolveCommon(request);
  let schedule;
  try {
    schedule = decodeSchedule(request.schedule);
  } catch (error) {
    if (!(error instanceof ScheduleTokenError)) throw error;
    throw new RaceHuntError('BAD_SCHEDULE', `the schedule "${request.schedule}" cannot be read: ${error.message}. Copy the whole token from the report.`);
  }
  const { cwd, reporter } = resolved;
  reporter.onRunStart?.({ seed: schedule.seed, mode: 'replay' });
  const [resolution] = findScenarioFiles([file], cwd);
  let report: ScenarioReport;
  if (resolution === undefined || 'problem' in resolution || resolution.files.length !== 1) {
    const problem = resolution !== undefined && 'problem' in resolution ? resolution.problem : `${file} is not one scenario file. Name the file the report names.`;
    report = errorReport(file, request.scenario, new RaceHuntError('FILE_NOT_FOUND', problem));
  } else {
    report = await replayFile(resolution.files[0]!, request.scenario, schedule, resolved);
  }
  if (report.status === 'error') reporter.onScenarioEnd?.(report);
  const runReport: RunReport = { seed: schedule.seed, scenarios: [report] };
  reporter.onRunEnd?.(runReport);
  return runReport;
}

async function replayFile(
  file: string,
  name: string,
  schedule: ReturnType<typeof decodeSchedule>,
  resolved: Resolved,
): Promise<ScenarioReport> {
  const shown = displayPath(file, resolved.cwd);
  registerLoader(resolved.replayOptions.instrument, resolved.cwd);
  const close = openRuntimeSession();
  try {
    let loaded: LoadedScenario[];
    try {
      loaded = await loadScenarios(file, shown, resolved.cwd);
    } catch (error) {
      return errorReport(shown, name, error);
    }
    const selected = selectScenarios(loaded, name);
    if (selected.length !== 1) {
      const names = loaded.map((l) => `"${l.scenario.name}"`).join(', ');
      const why = selected.length === 0 ? `has no scenario named "${name}"` : `has ${selected.length} scenarios matching "${name}"`;
      return errorReport(shown, name, new RaceHuntError('SCENARIO_NOT_FOUND', `${shown} ${why}; it has ${names}. Pass the exact name with --scenario.`));
    }
    const created = { name: 'replay', strategy: replayStrategy(schedule), verdicts: () => [] };
    const report = await exploreOne(shown, selected[0]!.scenario, created, 1, resolved, true);
    return report;
  } finally {
    close();
  }
}
