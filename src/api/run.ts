import { randomInt } from 'node:crypto';
import { RaceHuntError } from '../core/errors.js';
import type { RunReport, ScenarioReport } from '../core/report.js';
import { displayPath } from '../core/user-frame.js';
import { registerLoader } from '../instrument/register-loader.js';
import { findScenarioFiles } from '../loading/find-scenario-files.js';
import type { LoadedScenario } from '../loading/load-scenarios.js';
import { loadScenarios } from '../loading/load-scenarios.js';
import { openRuntimeSession } from '../runtime/runtime-session.js';
import type { StrategyName, StrategyParameters } from '../strategies/registry.js';
import { createStrategy, DEFAULT_PARAMETERS, STRATEGY_NAMES } from '../strategies/registry.js';
import { exploreOne } from './explore-one.js';
import type { RunOptions } from './options.js';
import { DEFAULT_RUNS, DEFAULT_SYSTEMATIC_RUNS, resolveCommon, wholeOption } from './options.js';
import { runCommand } from '../core/replay-command.js';
import { errorReport } from './scenario-report.js';
import { unmatchedInstrumentPatterns } from './instrument-warnings.js';
import { isShard } from '../core/shard.js';
import type { ShardSelection } from './shard-selection.js';
import { selectShard } from './shard-selection.js';

/** Picks the scenarios a `--scenario` filter means: an exact name wins over substrings. */
export function selectScenarios(loaded: readonly LoadedScenario[], filter: string | undefined): LoadedScenario[] {
  if (filter === undefined) return [...loaded];
  const exact = loaded.filter((l) => l.scenario.name === filter);
  return exact.length > 0 ? exact : loaded.filter((l) => l.scenario.name.includes(filter));
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
    depth: wholeOption('--depth', options.depth, DEFAULT_PARAMETERS.depth, 1, 64),
    preemptions: wholeOption('--preemptions', options.preemptions, DEFAULT_PARAMETERS.preemptions, 0, 64),
    delays: wholeOption('--delays', options.delays, DEFAULT_PARAMETERS.delays, 0, 64),
  };
  const systematic = strategyName === 'dfs' || strategyName === 'delay' || strategyName === 'dpor';
  const runs = wholeOption('--runs', options.runs, systematic ? DEFAULT_SYSTEMATIC_RUNS : DEFAULT_RUNS, 1, Number.MAX_SAFE_INTEGER);
  const seed = wholeOption('--seed', options.seed, randomInt(0, 2 ** 32), 0, 2 ** 32 - 1);
  if (paths.length === 0) throw new RaceHuntError('BAD_OPTION', 'name at least one scenario file or directory, e.g. `race-hunt run scenarios`.');
  if (options.shard !== undefined && !isShard(options.shard)) {
    throw new RaceHuntError('BAD_OPTION', `--shard must be i/n with 1 ≤ i ≤ n ≤ 1000; got ${JSON.stringify(options.shard)}.`);
  }

  const explorationArgs = explorationArgsOf(options, strategyName, parameters);
  const { cwd, reporter } = resolved;
  reporter.onRunStart?.({ seed, mode: 'run' });
  const scenarios: ScenarioReport[] = [];
  const fail = (report: ScenarioReport): void => {
    scenarios.push(report);
    reporter.onScenarioEnd?.(report);
  };
  // dpor needs to know what each step touches: load the code with access tracking.
  registerLoader(resolved.replayOptions.instrument, cwd, strategyName === 'dpor');
  const close = openRuntimeSession();
  let matched = 0;
  let shard: ShardSelection | undefined;
  try {
    shard = options.shard === undefined ? undefined : await selectShard(paths, cwd, options.scenario, options.shard);
    for (const resolution of findScenarioFiles(paths, cwd)) {
      if ('problem' in resolution) {
        fail(errorReport(resolution.path, '', new RaceHuntError('FILE_NOT_FOUND', resolution.problem)));
        continue;
      }
      for (const file of resolution.files) {
        const shown = displayPath(file, cwd);
        let loaded: LoadedScenario[];
        try {
          loaded = await loadScenarios(file, shown, cwd);
        } catch (error) {
          fail(errorReport(shown, '', error));
          continue;
        }
        for (const { scenario } of selectScenarios(loaded, options.scenario)) {
          matched++;
          if (shard?.includes(shown, scenario.name) === false) continue;
          const created = { name: strategyName, ...createStrategy(strategyName, seed, parameters) };
          const reproduce = runCommand(shown, scenario.name, seed, explorationArgs, resolved.replayOptions);
          scenarios.push(await exploreOne({ file: shown, scenario, created, runs, seed, mode: 'find', reproduce }, resolved));
        }
      }
    }
  } finally {
    close();
  }
  if (options.scenario !== undefined && matched === 0 && !scenarios.some((s) => s.status === 'error')) {
    fail(
      errorReport(
        paths.join(' '),
        options.scenario,
        new RaceHuntError('SCENARIO_NOT_FOUND', `no scenario named or containing "${options.scenario}" in ${paths.join(', ')}. Run without --scenario to see every scenario's name.`),
      ),
    );
  }
  const warnings = unmatchedInstrumentPatterns(resolved.replayOptions.instrument);
  const report: RunReport = { seed, scenarios, ...(warnings.length === 0 ? {} : { warnings }), ...(shard === undefined ? {} : { shard: shard.summary }) };
  reporter.onRunEnd?.(report);
  return report;
}

/** The options of a `run` that decide which schedules it explores, as command-line words (defaults left out). */
function explorationArgsOf(options: RunOptions, strategy: StrategyName, parameters: StrategyParameters): string[] {
  const words: string[] = [];
  if (strategy !== 'portfolio') words.push('--strategy', strategy);
  if (options.runs !== undefined) words.push('--runs', String(options.runs));
  for (const key of ['depth', 'preemptions', 'delays'] as const) {
    if (parameters[key] !== DEFAULT_PARAMETERS[key]) words.push(`--${key}`, String(parameters[key]));
  }
  if (options.corpus === false) words.push('--no-corpus');
  if (options.shrink === false) words.push('--no-shrink');
  return words;
}
