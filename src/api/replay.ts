import { RaceHuntError } from '../core/errors.js';
import type { RunReport, ScenarioReport } from '../core/report.js';
import type { Schedule } from '../core/schedule.js';
import { decodeSchedule, encodeSchedule, ScheduleTokenError } from '../core/schedule.js';
import { replayCommand } from '../core/replay-command.js';
import { registerLoader } from '../instrument/register-loader.js';
import { openRuntimeSession } from '../runtime/runtime-session.js';
import { exploreOne } from './explore-one.js';
import { localRunner } from './local-runner.js';
import { loadOneScenario, oneScenarioFile, oneScenarioName } from './load-one.js';
import { listIn } from './list-in.js';
import { pooledRunner } from './pooled-runner.js';
import type { ScenarioRunner } from './scenario-runner.js';
import { WorkerPool } from '../workers/pool.js';
import type { LoadedPackage } from '../instrument/loaded-modules.js';
import { loadedModules } from '../instrument/loaded-modules.js';
import { RunStop } from '../workers/run-stop.js';
import type { ReplayRequest, Resolved } from './options.js';
import { resolveCommon } from './options.js';
import { errorReport } from './scenario-report.js';
import { unmatchedInstrumentPatterns } from './instrument-warnings.js';

/** Reads a schedule token, or says in one paragraph why it cannot be read. */
export function readToken(token: string): Schedule {
  try {
    return decodeSchedule(token);
  } catch (error) {
    if (!(error instanceof ScheduleTokenError)) throw error;
    throw new RaceHuntError('BAD_SCHEDULE', `the schedule "${token}" cannot be read: ${error.message}. Copy the whole token from the report.`);
  }
}

/**
 * Re-runs one scenario under one recorded schedule and reports its trace; a schedule taken
 * from a report reproduces that report's trace exactly. If the run no longer follows the
 * schedule, the report is an error that names the decision where it diverged.
 */
export async function replay(file: string, request: ReplayRequest): Promise<RunReport> {
  const resolved = resolveCommon(request);
  const schedule = readToken(request.schedule);
  resolved.reporter.onRunStart?.({ seed: schedule.seed, mode: 'replay' });
  const { report, warnings } = await replayOnce(file, request.scenario, schedule, resolved, request.runTimeoutMs === undefined ? undefined : { runTimeoutMs: request.runTimeoutMs });
  const runReport: RunReport = { seed: schedule.seed, scenarios: [report], ...(warnings.length === 0 ? {} : { warnings }) };
  resolved.reporter.onRunEnd?.(runReport);
  return runReport;
}

/**
 * Replays `schedule` on the scenario and reports it (errors included, already reported),
 * with the warnings about `--instrument` patterns that matched no loaded package.
 */
export async function replayOnce(
  file: string,
  name: string,
  schedule: Schedule,
  resolved: Resolved,
  isolation?: Isolation,
  /** A saved failure's replay: what changed since it was saved, said if it diverges. */
  divergenceCause?: string,
): Promise<{ readonly report: ScenarioReport; readonly warnings: readonly string[] }> {
  const host = isolation === undefined ? inThisThread(resolved) : inAWorker(resolved, isolation);
  const warnings = (): string[] => unmatchedInstrumentPatterns(resolved.replayOptions.instrument, host.packages());
  try {
    let target;
    try {
      target = await host.find(file, name);
    } catch (error) {
      const report = errorReport(file, name, error);
      resolved.reporter.onScenarioEnd?.(report);
      return { report, warnings: warnings() };
    }
    const reproduce = replayCommand(target.shown, target.name, encodeSchedule(schedule), resolved.replayOptions);
    const report = await exploreOne(
      {
        file: target.shown,
        name: target.name,
        runner: target.runner,
        strategy: { name: 'replay', schedule },
        strategyName: 'replay',
        runs: 1,
        seed: schedule.seed,
        mode: 'replay',
        reproduce,
        ...(divergenceCause === undefined ? {} : { divergenceCause }),
      },
      resolved,
    );
    return { report, warnings: warnings() };
  } finally {
    await host.close();
  }
}

/** Replaying in a worker: a schedule that hangs (a `timeout` found earlier) is stopped after the run timeout. */
export interface Isolation {
  readonly runTimeoutMs: number;
}

interface ReplayHost {
  find(file: string, name: string): Promise<{ shown: string; name: string; runner: ScenarioRunner }>;
  packages(): readonly LoadedPackage[];
  close(): Promise<void>;
}

function inThisThread(resolved: Resolved): ReplayHost {
  registerLoader(resolved.replayOptions.instrument, resolved.cwd);
  const close = openRuntimeSession();
  return {
    async find(file, name) {
      const loaded = await loadOneScenario(file, name, resolved.cwd);
      return { shown: loaded.shown, name: loaded.scenario.name, runner: localRunner(loaded.scenario) };
    },
    packages: () => loadedModules.loadedPackages(),
    close: async () => close(),
  };
}

function inAWorker(resolved: Resolved, isolation: Isolation): ReplayHost {
  const pool = new WorkerPool(1, { cwd: resolved.cwd, instrument: resolved.replayOptions.instrument, track: false }, isolation.runTimeoutMs);
  let packages: readonly LoadedPackage[] = [];
  return {
    packages: () => packages,
    async find(file, name) {
      const { absolute, shown } = oneScenarioFile(file, resolved.cwd);
      const listed = await listIn(pool, absolute, shown);
      packages = listed.packages;
      const chosen = oneScenarioName(listed.names, name, shown);
      return { shown, name: chosen, runner: pooledRunner(pool, { path: absolute, shown, name: chosen }, new RunStop(), isolation.runTimeoutMs) };
    },
    close: () => pool.close(),
  };
}
