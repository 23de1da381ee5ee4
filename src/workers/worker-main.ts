/**
 * A worker thread's entry: registers the instrumenting loader, opens a runtime session, and
 * runs the jobs the coordinator posts, one at a time. Each job's outcome goes back as data.
 * A run that hangs or exits takes this thread with it; the coordinator's watchdog reports
 * it from the heartbeat (`runtime/heartbeat.ts`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { localRunner } from '../api/local-runner.js';
import { RaceHuntError } from '../core/errors.js';
import { InternalFailure } from '../core/internal-failure.js';
import type { Scenario } from '../core/scenario.js';
import { registerLoader } from '../instrument/register-loader.js';
import type { LoadedScenario } from '../loading/load-scenarios.js';
import { loadScenarios } from '../loading/load-scenarios.js';
import { beatActivity, installHeartbeat, PHASE } from '../runtime/heartbeat.js';
import { openRuntimeSession } from '../runtime/runtime-session.js';
import { CALIBRATION_RUNS } from '../core/explore.js';
import { loadedModules } from '../instrument/loaded-modules.js';
import type { Job, JobError, JobMessage, ListResult, WorkerMessage, WorkerSetup } from './protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (message: WorkerMessage): void => port.postMessage(message);

installHeartbeat(setup.heartbeat);
// race-hunt's own entry (and what it imports: chalk, ora, …) loads before the hooks, as in the
// CLI's own thread: the scenario's `import 'race-hunt'` finds it loaded, and race-hunt's packages
// are not among those the scenarios loaded (which `--instrument` warnings list).
await import('../index.js');
registerLoader(setup.instrument, setup.cwd, setup.track);
openRuntimeSession();

/** Modules loaded in this worker, by path: each is imported once per thread. */
const modules = new Map<string, Promise<LoadedScenario[]>>();

function load(path: string, shown: string): Promise<LoadedScenario[]> {
  let loaded = modules.get(path);
  if (loaded === undefined) {
    beatActivity(PHASE.loading);
    loaded = loadScenarios(path, shown, setup.cwd);
    modules.set(path, loaded);
  }
  return loaded;
}

async function scenarioOf(ref: { path: string; shown: string; name: string }): Promise<Scenario> {
  const found = (await load(ref.path, ref.shown)).find((l) => l.scenario.name === ref.name);
  if (found === undefined) throw new RaceHuntError('SCENARIO_NOT_FOUND', `${ref.shown} no longer has a scenario named "${ref.name}".`);
  return found.scenario;
}

async function perform(id: number, job: Job): Promise<unknown> {
  switch (job.kind) {
    case 'list': {
      const names = (await load(job.path, job.shown)).map((l) => l.scenario.name);
      return { names, packages: loadedModules.loadedPackages() } satisfies ListResult;
    }
    case 'explore': {
      const runner = localRunner(await scenarioOf(job.scenario));
      const bound = new Int32Array(job.bound);
      const share = await runner.exploreShare(
        {
          strategy: job.strategy,
          runs: job.runs,
          settings: job.settings,
          censusEveryRun: job.censusEveryRun,
          ...(job.deadline === undefined ? {} : { deadline: job.deadline }),
          onProgress: (p) => post({ type: 'progress', id, ...p }),
        },
        {
          slice: {
            worker: job.worker,
            workers: job.workers,
            bound: () => Atomics.load(bound, 0),
          },
          censusFirstRun: job.censusFirstRun,
        },
      );
      // The others need not run past a failure found here.
      const found = share.outcome.finding;
      if (found !== undefined) lowerBound(bound, found.run);
      return { ...share, calibrationExecuted: Math.min(share.executed, CALIBRATION_RUNS) };
    }
    case 'replay': {
      const runner = localRunner(await scenarioOf(job.scenario));
      return job.stopBefore === undefined ? runner.replay(job.schedule, job.settings, job.census) : runner.replayUntil(job.schedule, job.settings, job.stopBefore);
    }
    case 'shrink': {
      const runner = localRunner(await scenarioOf(job.scenario));
      return runner.shrink({
        failure: job.failure,
        settings: job.settings,
        timeMs: job.timeMs,
        onProgress: (runs, best) => post({ type: 'shrink-progress', id, runs, ...best }),
      });
    }
  }
}

/** Lowers the shared bound to `value` unless it is lower already. */
function lowerBound(bound: Int32Array, value: number): void {
  for (;;) {
    const current = Atomics.load(bound, 0);
    if (current <= value || Atomics.compareExchange(bound, 0, current, value) === current) return;
  }
}

function jobError(error: unknown): JobError {
  if (error instanceof RaceHuntError) return { internal: false, code: error.code, message: error.message };
  const failure = InternalFailure.of(error);
  const cause = failure.cause;
  return {
    internal: true,
    message: failure.message,
    ...(cause instanceof Error && cause.stack !== undefined ? { stack: cause.stack } : {}),
    context: failure.context,
  };
}

port.on('message', (message: JobMessage) => {
  perform(message.id, message.job).then(
    (result) => post({ type: 'done', id: message.id, result }),
    (error: unknown) => post({ type: 'failed', id: message.id, error: jobError(error) }),
  );
});
post({ type: 'ready' });
