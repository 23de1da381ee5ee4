/**
 * race-hunt's public API: `scenario()` for scenario modules, and `run()` / `replay()` for
 * programs (and vitest suites) that explore scenarios without the CLI.
 */
export { scenario, isScenario } from './core/scenario.js';
export type { Scenario, ScenarioSpec, CheckResult } from './core/scenario.js';
export { run, explore, replay, replayFailure, shrinkFailureFile, reportFailure, DEFAULT_RUNS } from './api.js';
export type { RunOptions, ExploreOptions, ExplorationOptions, ReplayRequest, CommonOptions, ShrinkOptions } from './api.js';
export { exitCodeOf } from './core/report.js';
export type { RunReport, ScenarioReport, ViolationReport } from './core/report.js';
export type { TraceStep, StepKind } from './core/step.js';
export type { ViolationKind, BlockedTask } from './core/violation.js';
export { RaceHuntError, EXIT } from './core/errors.js';
export type { ErrorCode } from './core/errors.js';
export type { Reporter, Progress } from './reporters/reporter.js';
export { defineConfig } from './config/define-config.js';
export type { RaceHuntConfig, ReporterEntry, ReporterName, Duration } from './config/define-config.js';
export type { Shard } from './core/shard.js';
export { terminalReporter } from './reporters/terminal.js';
export type { TerminalOptions } from './reporters/terminal.js';
export { jsonReporter, jsonDocument } from './reporters/json.js';
export { junitReporter, junitXml } from './reporters/junit.js';
export type { JunitOptions } from './reporters/junit.js';
export { githubReporter, githubCommands } from './reporters/github.js';
export type { GithubOptions } from './reporters/github.js';
export { combineReporters } from './reporters/combine.js';
export { reportToFile } from './reporters/report-file.js';
export { elideTrace, TRACE_LIMITS } from './reporters/elide-trace.js';
export type { ElidedTrace, TraceLimits } from './reporters/elide-trace.js';
