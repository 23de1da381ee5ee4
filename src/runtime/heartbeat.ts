/**
 * Where a run stands, in memory another thread can read while this one is stuck: the run's
 * index and seed, its phase, how many steps it began and the decisions it made. A worker's
 * watchdog reads it when a run stops answering (a synchronous endless loop, an exit), to
 * report the run with its schedule so far. Plain stores: the reader looks seconds later.
 */

/** The phases of an execution, as stored. */
export const PHASE = { idle: 0, setup: 1, tasks: 2, check: 3, teardown: 4, loading: 5 } as const;
export type PhaseCode = (typeof PHASE)[keyof typeof PHASE];

const RUNS = 0;
const PHASE_AT = 1;
const STEPS = 2;
const SEED = 3;
const DECISIONS = 4;
const INDEX = 5;
const HEADER = 8;
/** Decisions kept: a run with more cannot be reported with its schedule (its prefix is lost). */
export const HEARTBEAT_DECISIONS = 1 << 16;

/** The shared memory of one worker's heartbeat. */
export function newHeartbeatBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer((HEADER + 2 * HEARTBEAT_DECISIONS) * 4);
}

/** What a heartbeat says at one moment. */
export interface HeartbeatReading {
  /** Runs begun in this worker so far (it moves while the worker makes progress). */
  readonly runs: number;
  readonly phase: PhaseCode;
  readonly index: number;
  readonly seed: number;
  /** Steps the run's tasks began; the last one had not finished if the run hangs. */
  readonly steps: number;
  /** The decisions so far, or undefined when there were more than the heartbeat keeps. */
  readonly decisions: ReadonlyArray<{ readonly choice: number; readonly of: number }> | undefined;
}

/** Reads the heartbeat; `withDecisions` false skips copying the decisions (the watchdog's frequent look). */
export function readHeartbeat(buffer: SharedArrayBuffer, withDecisions = true): HeartbeatReading {
  const cells = new Int32Array(buffer);
  const count = cells[DECISIONS]!;
  let decisions: Array<{ choice: number; of: number }> | undefined;
  if (count <= HEARTBEAT_DECISIONS && withDecisions) {
    decisions = [];
    for (let i = 0; i < count; i++) decisions.push({ choice: cells[HEADER + 2 * i]!, of: cells[HEADER + 2 * i + 1]! });
  }
  return {
    runs: Atomics.load(cells, RUNS),
    phase: cells[PHASE_AT]! as PhaseCode,
    index: cells[INDEX]!,
    seed: cells[SEED]! >>> 0,
    steps: cells[STEPS]!,
    decisions,
  };
}

let cells: Int32Array | undefined;

/** Makes this thread's executions beat into `buffer` (a worker does, once). */
export function installHeartbeat(buffer: SharedArrayBuffer): void {
  cells = new Int32Array(buffer);
}

export function beatRunStart(index: number, seed: number): void {
  if (cells === undefined) return;
  cells[INDEX] = index;
  cells[SEED] = seed | 0;
  cells[STEPS] = 0;
  cells[DECISIONS] = 0;
  cells[PHASE_AT] = PHASE.setup;
  Atomics.add(cells, RUNS, 1);
}

export function beatPhase(phase: PhaseCode): void {
  if (cells !== undefined) cells[PHASE_AT] = phase;
}

/** Something other than a run began (loading a module): it moves the heartbeat too. */
export function beatActivity(phase: PhaseCode): void {
  if (cells === undefined) return;
  cells[PHASE_AT] = phase;
  cells[STEPS] = 0;
  cells[DECISIONS] = 0;
  Atomics.add(cells, RUNS, 1);
}

export function beatStep(steps: number): void {
  if (cells !== undefined) cells[STEPS] = steps;
}

export function beatDecision(choice: number, of: number): void {
  if (cells === undefined) return;
  const n = cells[DECISIONS]!;
  if (n < HEARTBEAT_DECISIONS) {
    cells[HEADER + 2 * n] = choice;
    cells[HEADER + 2 * n + 1] = of;
  }
  cells[DECISIONS] = n + 1;
}
