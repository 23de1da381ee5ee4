import { displayPath } from '../core/display-path.js';
import { RaceHuntError } from '../core/errors.js';
import type { ScenarioReport } from '../core/report.js';
import { runCommand } from '../core/replay-command.js';
import type { Scenario } from '../core/scenario.js';
import { isScenario } from '../core/scenario.js';
import { activeInstrumentation } from '../instrument/active-instrumentation.js';
import { openRuntimeSession } from '../runtime/runtime-session.js';
import { RunStop } from '../workers/run-stop.js';
import { exploreOne } from './explore-one.js';
import { resolveExploration } from './exploration-options.js';
import { localRunner } from './local-runner.js';
import type { ExplorationOptions } from './options.js';
import { resolveCommon } from './options.js';

export interface ExploreOptions extends ExplorationOptions {
  /**
   * The file the scenario's reports and saved failures name (default: the file that called
   * `scenario()`). Saved failures are kept per file and scenario name.
   */
  readonly file?: string;
  /** Stops exploring at the next run: the report holds what was explored. */
  readonly signal?: AbortSignal;
  /**
   * How a schedule of this scenario is replayed, for the report's replay line (default: the
   * `race-hunt replay` command, right for a scenario the CLI can load).
   */
  readonly replayCommandOf?: (schedule: string) => string;
}

/**
 * Explores one scenario (the object `scenario()` returns) in this thread, as `race-hunt run`
 * explores each scenario of a file: the saved failures first, then `runs` runs, a violation
 * saved, confirmed and shrunk. Resolves to the scenario's report, the data of one entry of the
 * JSON report. Its code must have been loaded instrumented, by race-hunt's module hooks or by
 * its Vite plugin (`race-hunt/vitest`); without either it throws rather than pass.
 */
export async function explore<S, I>(target: Scenario<S, I>, options: ExploreOptions = {}): Promise<ScenarioReport> {
  // Returns to the caller before any run starts: a caller whose own `await` is instrumented
  // (a vitest test file) then meets its gate outside every task.
  await null;
  if (!isScenario(target)) {
    throw new RaceHuntError('BAD_OPTION', 'explore() takes the object scenario() returns: `explore(scenario("name", { tasks: … }))`.');
  }
  const scenario = target as unknown as Scenario;
  const resolved = resolveCommon(options);
  const exploration = resolveExploration(options);
  const instrumentation = activeInstrumentation();
  if (instrumentation.kinds.length === 0) {
    throw new RaceHuntError(
      'NOT_INSTRUMENTED',
      `explore() was asked to explore "${scenario.name}", but no code in this process was instrumented, so its awaits are no scheduling points and every schedule would pass. ` +
        "Inside vitest, add the plugin to vitest.config.ts: `import { raceHunt } from 'race-hunt/vitest'` and `plugins: [raceHunt()]`. Outside vitest, run the scenario module with `race-hunt run`, or call `run()`, which loads it instrumented.",
    );
  }
  const running = exploring();
  if (running.name !== undefined) {
    throw new RaceHuntError(
      'BAD_OPTION',
      `explore() was asked to explore "${scenario.name}" while "${running.name}" is being explored in this thread: an exploration takes over the thread's timers and scheduling, so two cannot overlap. Await each before starting the next (in vitest, not in it.concurrent tests).`,
    );
  }
  const file = options.file ?? scenario.definedIn;
  const shown = file === undefined ? '(unknown file)' : displayPath(file, resolved.cwd);
  const stop = new RunStop();
  const onAbort = (): void => stop.interrupt();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted === true) stop.interrupt();
  running.name = scenario.name;
  let close = (): void => {};
  try {
    close = openRuntimeSession();
    const deadline = exploration.timeBudgetMs === undefined ? undefined : Date.now() + exploration.timeBudgetMs;
    return await exploreOne(
      {
        file: shown,
        name: scenario.name,
        runner: localRunner(scenario, stop),
        strategy: { name: exploration.strategyName, seed: exploration.seed, parameters: exploration.parameters },
        strategyName: exploration.strategyName,
        runs: exploration.runs,
        seed: exploration.seed,
        mode: 'find',
        reproduce: runCommand(shown, scenario.name, exploration.seed, exploration.args, resolved.replayOptions),
        ...(deadline === undefined ? {} : { deadline }),
        ...(options.replayCommandOf === undefined ? {} : { replayCommandOf: options.replayCommandOf }),
      },
      resolved,
    );
  } finally {
    close();
    options.signal?.removeEventListener('abort', onAbort);
    running.name = undefined;
  }
}

const EXPLORING = Symbol.for('race-hunt.exploring');

/** The exploration under way in this thread, on a global symbol so that two copies of race-hunt agree. */
function exploring(): { name: string | undefined } {
  const holder = globalThis as { [EXPLORING]?: { name: string | undefined } };
  return (holder[EXPLORING] ??= { name: undefined });
}
