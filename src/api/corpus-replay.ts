import { rmSync } from 'node:fs';
import type { CorpusReport, ScenarioReport, StaleFailure, UnverifiedFailure } from '../core/report.js';
import type { ReplayOptions } from '../core/replay-command.js';
import { decodeSchedule } from '../core/schedule.js';
import type { Failure } from '../search/shrink.js';
import { displayPath } from '../core/display-path.js';
import type { CorpusEntry } from '../failures/corpus.js';
import { corpusFor } from '../failures/corpus.js';
import { corpusReplayOptions, judgeReplay, unreadableWarning, unverifiedReason } from '../failures/corpus-verdict.js';
import { instrumentDiffers } from '../failures/divergence-cause.js';
import { writeBugReport } from './write-bug-report.js';
import { changesSince, failureRecord } from './failure-saving.js';
import type { Resolved } from './options.js';
import { settingsOf } from './options.js';
import { scenarioReport } from './scenario-report.js';
import type { ReplayOutcome, ScenarioRunner } from './scenario-runner.js';

/** The scenario whose saved failures to replay. */
export interface CorpusReplayRequest {
  /** The scenario module, as reports show it (relative to the working directory). */
  readonly file: string;
  readonly name: string;
  /** Where the scenario's executions run. */
  readonly runner: ScenarioRunner;
  /** The run's strategy name, for the report of a hit. */
  readonly strategy: string;
  /** How to replay a schedule, when not `race-hunt replay` (see `FailureOrigin`). */
  readonly replayCommandOf?: (schedule: string) => string;
}

/** What replaying a scenario's saved failures found: plain data. */
export interface CorpusReplayResult {
  /** The report of the first saved failure that still fails (with `corpus` set): the scenario's finding. */
  readonly hit?: ScenarioReport;
  readonly corpus: CorpusReport;
}

/**
 * Replays every saved failure of one scenario (`.race-hunt/failures/`), each with the options
 * it was saved with, before the scenario is explored: a CI gate sees a known regression at
 * once, deterministically. The first that still fails is the finding (its bug report written
 * when `--report` asks); the others are sorted into still failing, fixed (the schedule ran
 * as saved and passed), stale (it no longer fits the code, with the likely cause) and
 * unverified (saved with other `--instrument` patterns than the process's loader has).
 * `--prune-corpus` removes the fixed and stale ones. An unusable file is a warning, never an
 * error. Throws only for race-hunt's own failure (an `InternalFailure`), as exploring does.
 */
export async function replayCorpus(request: CorpusReplayRequest, resolved: Resolved): Promise<CorpusReplayResult> {
  const { cwd } = resolved;
  const shown = (path: string): string => displayPath(path, cwd);
  const { entries, unreadable } = corpusFor(cwd, request.file, request.name);
  let hit: ScenarioReport | undefined;
  let hitOptions: ReplayOptions | undefined;
  const failing: string[] = [];
  const fixed: string[] = [];
  const stale: StaleFailure[] = [];
  const unverified: UnverifiedFailure[] = [];
  const prunable: string[] = [];
  for (const entry of entries) {
    const saved = entry.record.options;
    const options = corpusReplayOptions(saved, resolved.replayOptions);
    const faithful = !instrumentDiffers(saved.instrument, options.instrument);
    // Every replay is a census run: the one that fails is the one reported.
    const replayed = await request.runner.replay(decodeSchedule(entry.record.schedule), settingsOf(resolved, true, options), true);
    const result = replayed.result;
    const file = shown(entry.path);
    const verdict = judgeReplay(result?.status ?? 'pass', faithful);
    if (verdict === 'failing' && hit === undefined) {
      hit = hitReport(request, resolved, entry, options, replayed, `corpus (${file})`);
      if (!sameOptions(options, resolved.replayOptions)) hitOptions = options;
    } else if (verdict === 'failing') failing.push(file);
    else if (verdict === 'fixed') {
      fixed.push(file);
      prunable.push(entry.path);
    } else if (verdict === 'stale' && result?.status === 'diverged') {
      stale.push({ file, divergence: result.divergence.message, cause: changesSince(entry.record, options, cwd) });
      prunable.push(entry.path);
    } else if (verdict === 'unverified') {
      unverified.push({ file, reason: unverifiedReason(file, saved.instrument, options.instrument, result?.status === 'diverged' ? 'diverged' : 'pass') });
    }
  }
  const pruned: string[] = [];
  if (resolved.pruneCorpus) {
    for (const path of prunable) {
      rmSync(path, { force: true });
      pruned.push(shown(path));
    }
  }
  const corpus: CorpusReport = {
    replayed: entries.length,
    ...(hit === undefined ? {} : { hit: hit.violation!.failureFile! }),
    failing,
    fixed,
    stale,
    unverified,
    pruned,
    warnings: unreadable.map((u) => unreadableWarning(shown(u.path), u.problem)),
    ...(hitOptions === undefined ? {} : { hitOptions }),
  };
  return hit === undefined ? { corpus } : { hit: { ...hit, corpus }, corpus };
}

function sameOptions(a: ReplayOptions, b: ReplayOptions): boolean {
  return a.maxSteps === b.maxSteps && a.timers === b.timers && !instrumentDiffers(a.instrument, b.instrument);
}

/** The report of a saved failure that still fails, and its bug report when `--report` asks for one. */
function hitReport(request: CorpusReplayRequest, resolved: Resolved, entry: CorpusEntry, options: ReplayOptions, replayed: ReplayOutcome, foundBy: string): ScenarioReport {
  const { cwd } = resolved;
  const failureFile = displayPath(entry.path, cwd);
  const failure = replayed.result as Failure;
  let reportFiles: readonly string[] = [];
  if (resolved.reportDir !== undefined) {
    // The bug report shows the failure as it happens now, found as it was saved.
    const { exploration } = entry.record;
    const origin = { file: request.file, name: request.name, ...exploration, options, ...(request.replayCommandOf === undefined ? {} : { replayCommandOf: request.replayCommandOf }) };
    const now = { ...failureRecord(origin, failure), createdAt: entry.record.createdAt };
    reportFiles = writeBugReport(now, entry.path, resolved.reportDir, cwd);
  }
  return scenarioReport(
    { runs: 1, interleavings: 1, awaitPairs: 0, lastNewAt: 1, exhausted: false, finding: { run: 1, strategy: foundBy, result: failure } },
    {
      file: request.file,
      name: request.name,
      strategy: request.strategy,
      verdicts: [],
      replayOptions: options,
      durationMs: replayed.durationMs,
      failureFile,
      reportFiles,
      uncontrolled: replayed.uncontrolled,
      ...(request.replayCommandOf === undefined ? {} : { replayCommandOf: request.replayCommandOf }),
    },
  );
}
