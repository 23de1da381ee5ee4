/**
 * The programmatic API: what the CLI and vitest suites call. Options in, a `RunReport`
 * (data) out; findings and the user's errors are entries in the report, and only bad
 * options throw (`RaceHuntError`).
 */
export { run, selectScenarios } from './api/run.js';
export { replay } from './api/replay.js';
export { explore } from './api/explore.js';
export type { ExploreOptions } from './api/explore.js';
export { replayFailure, shrinkFailureFile, reportFailure, DEFAULT_REPORT_DIR } from './api/failure-commands.js';
export type { CommonOptions, ExplorationOptions, RunOptions, ReplayRequest, ShrinkOptions } from './api/options.js';
export { DEFAULT_RUNS, DEFAULT_SYSTEMATIC_RUNS, DEFAULT_SHRINK_TIME_MS } from './api/options.js';
