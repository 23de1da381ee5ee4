import type { Execution } from './execution.js';

/**
 * The execution in progress, read by the patched clock and randomness (which, unlike awaits
 * and timers, are also consulted outside any task: by `always` checks, by setup).
 */
let active: Execution | undefined;

export function activeExecution(): Execution | undefined {
  return active;
}

export function setActiveExecution(execution: Execution | undefined): void {
  active = execution;
}
