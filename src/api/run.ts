import { RaceHuntError } from '../core/errors.js';
import type { RunReport, ScenarioReport } from '../core/report.js';
import { displayPath } from '../core/display-path.js';
import { registerLoader } from '../instrument/register-loader.js';
import { findScenarioFiles } from '../loading/find-scenario-files.js';
import type { LoadedScenario } from '../loading/load-scenarios.js';
import { loadScenarios } from '../loading/load-scenarios.js';
import { openRuntimeSession } from '../runtime/runtime-session.js';
import { SPLITS_RUNS, SPLITS_TREE } from '../strategies/registry.js';
import { resolveExploration } from './exploration-options.js';
import { WorkerPool } from '../workers/pool.js';
import { listIn } from './list-in.js';
import { RunStop } from '../workers/run-stop.js';
import type { LoadedPackage } from '../instrument/loaded-modules.js';
import { loadedModules } from '../instrument/loaded-modules.js';
import { exploreOne } from './explore-one.js';
import { localRunner } from './local-runner.js';
import type { Resolved, RunOptions } from './options.js';
import { DEFAULT_RUN_TIMEOUT_MS, resolveCommon, wholeOption } from './options.js';
import { pooledRunner } from './pooled-runner.js';
import type { ScenarioRunner } from './scenario-runner.js';
import { runCommand } from '../core/replay-command.js';
import { errorReport } from './scenario-report.js';
import { unmatchedInstrumentPatterns } from './instrument-warnings.js';
import { isShard } from '../core/shard.js';
import type { ShardSelection } from './shard-selection.js';
import { selectShard } from './shard-selection.js';

/** Picks the scenarios a `--scenario` filter means: an exact name wins over substrings. */
export function selectScenarios(loaded: readonly LoadedScenario[], filter: string | undefined): LoadedScenario[] {
  return selectByName(loaded, (l) => l.scenario.name, filter);
}

function selectByName<T>(items: readonly T[], nameOf: (item: T) => string, filter: string | undefined): T[] {
  if (filter === undefined) return [...items];
  const exact = items.filter((item) => nameOf(item) === filter);
  return exact.length > 0 ? exact : items.filter((item) => nameOf(item).includes(filter));
}

/** One scenario to explore: its module, as shown, and a runner for it. */
interface Target {
  readonly shown: string;
  readonly name: string;
  readonly runner: ScenarioRunner;
}

/**
 * Explores every scenario in `paths` (files, or directories of `*.scenario.ts` modules) and
 * reports what it found. Never throws for a problem in the user's code or input: those are
 * `error` entries in the report. Throws {@link RaceHuntError} only for bad options.
 */
export async function run(paths: readonly string[], options: RunOptions = {}): Promise<RunReport> {
  const resolved = resolveCommon(options);
  const exploration = resolveExploration(options);
  const { strategyName, parameters, runs, seed, timeBudgetMs } = exploration;
  const workers = wholeOption('--workers', options.workers, 0, 0, 256);
  const runTimeoutMs = options.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
  if (!(runTimeoutMs > 0 && Number.isFinite(runTimeoutMs))) {
    throw new RaceHuntError('BAD_OPTION', `--run-timeout must be a duration such as 5s; got ${String(options.runTimeoutMs)}.`);
  }
  if (paths.length === 0) throw new RaceHuntError('BAD_OPTION', 'name at least one scenario file or directory, e.g. `race-hunt run scenarios`.');
  if (options.shard !== undefined && !isShard(options.shard)) {
    throw new RaceHuntError('BAD_OPTION', `--shard must be i/n with 1 ≤ i ≤ n ≤ 1000; got ${JSON.stringify(options.shard)}.`);
  }

  const explorationArgs = exploration.args;
  const { cwd, reporter } = resolved;
  reporter.onRunStart?.({ seed, mode: 'run' });
  const scenarios: ScenarioReport[] = [];
  const fail = (report: ScenarioReport): void => {
    scenarios.push(report);
    reporter.onScenarioEnd?.(report);
  };
  const stop = new RunStop();
  const onAbort = (): void => stop.interrupt();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted === true) stop.interrupt();
  // dpor needs to know what each step touches: load the code with access tracking.
  const track = strategyName === 'dpor';
  const host = workers === 0 ? await inThisThread(resolved, track, stop) : inWorkers(resolved, track, stop, workers, runTimeoutMs);
  let matched = 0;
  let shard: ShardSelection | undefined;
  try {
    // Every module is listed first, so that a time budget can be shared between its scenarios;
    // reports keep the order of the files.
    let entries: Array<Target | ScenarioReport> = [];
    for (const resolution of findScenarioFiles(paths, cwd)) {
      if ('problem' in resolution) {
        entries.push(errorReport(resolution.path, '', new RaceHuntError('FILE_NOT_FOUND', resolution.problem)));
        continue;
      }
      for (const file of resolution.files) {
        if (stop.interrupted) break;
        const shown = displayPath(file, cwd);
        let names: readonly string[];
        try {
          names = await host.list(file, shown);
        } catch (error) {
          entries.push(errorReport(shown, '', error));
          continue;
        }
        for (const name of selectByName(names, (n) => n, options.scenario)) {
          matched++;
          entries.push({ shown, name, runner: host.runner(file, shown, name) });
        }
      }
    }
    if (options.shard !== undefined) {
      // The split depends on every scenario's file and name: known now that every module is listed.
      shard = selectShard(
        entries.filter(isTarget).map((t) => ({ file: t.shown, name: t.name })),
        options.shard,
        SPLITS_RUNS.has(strategyName) || SPLITS_TREE.has(strategyName),
      );
      const selection = shard;
      entries = entries.filter((e) => !isTarget(e) || selection.includes(e.shown, e.name));
    }
    const runsSplit = shard?.summary.runsSplit === true;
    const shardPart = { index: (shard?.summary.index ?? 1) - 1, count: shard?.summary.count ?? 1 };
    const budgetEnd = timeBudgetMs === undefined ? undefined : Date.now() + timeBudgetMs;
    let targetsLeft = entries.filter(isTarget).length;
    for (const entry of entries) {
      if (!isTarget(entry)) {
        fail(entry);
        continue;
      }
      if (stop.interrupted) break;
      // A fair share of what is left of the budget: the scenarios before may have finished early.
      const deadline = budgetEnd === undefined ? undefined : Date.now() + (budgetEnd - Date.now()) / targetsLeft;
      targetsLeft--;
      const reproduce = runCommand(entry.shown, entry.name, seed, explorationArgs, resolved.replayOptions);
      scenarios.push(
        await exploreOne(
          {
            file: entry.shown,
            name: entry.name,
            runner: entry.runner,
            // Shards split a lone scenario's runs by index, or a systematic search's tree into parts.
            strategy: { name: strategyName, seed, parameters, ...(runsSplit && SPLITS_TREE.has(strategyName) ? { part: shardPart } : {}) },
            strategyName,
            runs,
            seed,
            mode: 'find',
            reproduce,
            ...(deadline === undefined ? {} : { deadline }),
            ...(runsSplit && SPLITS_RUNS.has(strategyName) ? { runShare: shardPart } : {}),
          },
          resolved,
        ),
      );
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await host.close();
  }
  if (options.scenario !== undefined && matched === 0 && !stop.interrupted && !scenarios.some((s) => s.status === 'error')) {
    fail(
      errorReport(
        paths.join(' '),
        options.scenario,
        new RaceHuntError('SCENARIO_NOT_FOUND', `no scenario named or containing "${options.scenario}" in ${paths.join(', ')}. Run without --scenario to see every scenario's name.`),
      ),
    );
  }
  const warnings = unmatchedInstrumentPatterns(resolved.replayOptions.instrument, host.packages());
  const report: RunReport = {
    seed,
    scenarios,
    ...(warnings.length === 0 ? {} : { warnings }),
    ...(shard === undefined ? {} : { shard: shard.summary }),
    ...(stop.interrupted ? { interrupted: true as const } : {}),
  };
  reporter.onRunEnd?.(report);
  return report;
}

function isTarget(entry: Target | ScenarioReport): entry is Target {
  return 'runner' in entry;
}

/** Where scenarios load and run: this thread, or a pool of workers. */
interface Host {
  list(file: string, shown: string): Promise<readonly string[]>;
  /** The packages seen load so far. */
  packages(): readonly LoadedPackage[];
  runner(file: string, shown: string, name: string): ScenarioRunner;
  close(): Promise<void>;
}

async function inThisThread(resolved: Resolved, track: boolean, stop: RunStop): Promise<Host> {
  registerLoader(resolved.replayOptions.instrument, resolved.cwd, track);
  const close = openRuntimeSession();
  const modules = new Map<string, LoadedScenario[]>();
  return {
    async list(file, shown) {
      const loaded = await loadScenarios(file, shown, resolved.cwd);
      modules.set(file, loaded);
      return loaded.map((l) => l.scenario.name);
    },
    runner: (file, _shown, name) => localRunner(modules.get(file)!.find((l) => l.scenario.name === name)!.scenario, stop),
    packages: () => loadedModules.loadedPackages(),
    close: async () => close(),
  };
}

function inWorkers(resolved: Resolved, track: boolean, stop: RunStop, workers: number, runTimeoutMs: number): Host {
  const pool = new WorkerPool(workers, { cwd: resolved.cwd, instrument: resolved.replayOptions.instrument, track }, runTimeoutMs);
  // Explorations stop at their next run; whatever still runs (a shrink) gets a moment to end.
  stop.onInterrupt(() => setTimeout(() => void pool.close(), INTERRUPT_GRACE_MS).unref());
  const packages = new Map<string, LoadedPackage>();
  return {
    packages: () => [...packages.values()],
    list: async (file, shown) => {
      // Every worker loads the module now, side by side, rather than the others each in
      // the middle of the scenario's exploration (which a worker's share of it would wait on).
      const [listed, ...others] = await Promise.allSettled(Array.from({ length: pool.size }, () => listIn(pool, file, shown)));
      for (const other of others) if (other.status === 'fulfilled') for (const pkg of other.value.packages) packages.set(pkg.root, pkg);
      if (listed!.status === 'rejected') throw listed!.reason;
      for (const pkg of listed!.value.packages) packages.set(pkg.root, pkg);
      return listed!.value.names;
    },
    runner: (file, shown, name) => pooledRunner(pool, { path: file, shown, name }, stop, runTimeoutMs),
    close: () => pool.close(),
  };
}

/** How long, after an interrupt, work still running may take to end before its workers are stopped. */
const INTERRUPT_GRACE_MS = 300;
