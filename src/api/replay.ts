import { RaceHuntError } from '../core/errors.js';
import type { RunReport, ScenarioReport } from '../core/report.js';
import type { Schedule } from '../core/schedule.js';
import { decodeSchedule, encodeSchedule, ScheduleTokenError } from '../core/schedule.js';
import { replayCommand } from '../core/replay-command.js';
import { registerLoader } from '../instrument/register-loader.js';
import { openRuntimeSession } from '../runtime/runtime-session.js';
import { replayStrategy } from '../strategies/replay.js';
import { exploreOne } from './explore-one.js';
import { loadOneScenario } from './load-one.js';
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
  const report = await replayOnce(file, request.scenario, schedule, resolved);
  const warnings = unmatchedInstrumentPatterns(resolved.replayOptions.instrument);
  const runReport: RunReport = { seed: schedule.seed, scenarios: [report], ...(warnings.length === 0 ? {} : { warnings }) };
  resolved.reporter.onRunEnd?.(runReport);
  return runReport;
}

/**
 * Replays `schedule` on the scenario and reports it (errors included, already reported).
 * `divergenceCause` (a saved failure's replay): what changed since it was saved, said if it diverges.
 */
export async function replayOnce(file: string, name: string, schedule: Schedule, resolved: Resolved, divergenceCause?: string): Promise<ScenarioReport> {
  registerLoader(resolved.replayOptions.instrument, resolved.cwd);
  const close = openRuntimeSession();
  try {
    let loaded;
    try {
      loaded = await loadOneScenario(file, name, resolved.cwd);
    } catch (error) {
      const report = errorReport(file, name, error);
      resolved.reporter.onScenarioEnd?.(report);
      return report;
    }
    const created = { name: 'replay', strategy: replayStrategy(schedule), verdicts: () => [] };
    const reproduce = replayCommand(loaded.shown, loaded.scenario.name, encodeSchedule(schedule), resolved.replayOptions);
    const request = { file: loaded.shown, scenario: loaded.scenario, created, runs: 1, seed: schedule.seed, mode: 'replay' as const, reproduce };
    return await exploreOne(divergenceCause === undefined ? request : { ...request, divergenceCause }, resolved);
  } finally {
    close();
  }
}
