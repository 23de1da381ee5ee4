import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { HeartbeatReading } from '../runtime/heartbeat.js';
import { newHeartbeatBuffer, PHASE, readHeartbeat } from '../runtime/heartbeat.js';
import type { Job, JobError, JobMessage, WorkerMessage, WorkerSetup } from './protocol.js';

/** Why a job's worker is gone: its run did not finish in time, the worker died, or the pool was closed. */
export class WorkerLost extends Error {
  override readonly name = 'WorkerLost';
  constructor(
    readonly reason: 'timeout' | 'crash' | 'closed',
    message: string,
    /** Where the worker's last run stood. */
    readonly reading: HeartbeatReading,
  ) {
    super(message);
  }
}

/** A job's failure inside a worker, as the worker described it. */
export class JobFailed extends Error {
  override readonly name = 'JobFailed';
  constructor(readonly error: JobError) {
    super(error.message);
  }
}

interface Pending {
  readonly id: number;
  readonly job: Job;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly onMessage: ((message: WorkerMessage) => void) | undefined;
}

interface Slot {
  worker: Worker;
  heartbeat: SharedArrayBuffer;
  ready: boolean;
  busy: Pending | undefined;
  /** The heartbeat's run counter when last seen moving, and when. */
  beats: number;
  beatAt: number;
}

/** The compiled worker entry: from src/ (tests run the sources), the build's. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/workers/worker-main.js', here) : new URL('./worker-main.js', here);
}

const WATCH_INTERVAL_MS = 100;
/** Loading a module may take long (instrumenting a large dependency): a hang there is declared later. */
const LOAD_TIMEOUT_MS = 60_000;

/**
 * Worker threads that run jobs one at a time each, with a watchdog: a job whose worker's
 * heartbeat has not moved for `runTimeoutMs` (a run stuck in a synchronous loop, a module
 * that never finishes loading) is stopped by ending the worker, and a worker that dies
 * (out of memory, `process.exit` outside a run, a native crash) fails its job; either way a
 * fresh worker takes its place. Jobs wait in order for a free worker.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly watch: NodeJS.Timeout;
  private readonly heapMb: number;

  constructor(
    readonly size: number,
    private readonly setup: Omit<WorkerSetup, 'heartbeat'>,
    private readonly runTimeoutMs: number,
  ) {
    // Each worker gets a heap limit, so running out of memory ends that worker, not race-hunt:
    // this process's own (--max-old-space-size, in NODE_OPTIONS too), or less where memory is short.
    const own = Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20);
    this.heapMb = Math.min(own, Math.max(256, Math.floor(totalmem() / 2 ** 20 / (2 * size))));
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
    this.watch = setInterval(() => this.check(), WATCH_INTERVAL_MS);
    this.watch.unref();
  }

  /** Runs `job` on the next free worker. Rejects with {@link WorkerLost} or {@link JobFailed}. */
  submit<T>(job: Job, onMessage?: (message: WorkerMessage) => void): Promise<T> {
    if (this.closed) return Promise.reject(new WorkerLost('closed', 'race-hunt is stopping', emptyReading()));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve: resolve as (value: unknown) => void, reject, onMessage });
      this.dispatch();
    });
  }

  /** Ends every worker; pending and running jobs fail as `closed`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watch);
    for (const pending of this.queue.splice(0)) pending.reject(new WorkerLost('closed', 'race-hunt is stopping', emptyReading()));
    await Promise.all(
      this.slots.map(async (slot) => {
        const busy = slot.busy;
        slot.busy = undefined;
        busy?.reject(new WorkerLost('closed', 'race-hunt is stopping', readHeartbeat(slot.heartbeat)));
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const heartbeat = newHeartbeatBuffer();
    const worker = new Worker(workerUrl(), {
      workerData: { ...this.setup, heartbeat } satisfies WorkerSetup,
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
      // The user's code writes to race-hunt's own stdout and stderr, as it would in one process.
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, heartbeat, ready: false, busy: undefined, beats: 0, beatAt: 0 };
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error: NodeJS.ErrnoException) =>
      this.lose(
        slot,
        'crash',
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `it ran out of memory (a worker's heap is limited to ${this.heapMb} MB; NODE_OPTIONS=--max-old-space-size=<MB> raises it)`
          : `its worker failed: ${error.message}`,
      ),
    );
    worker.on('exit', (code) => this.lose(slot, 'crash', `its worker exited with code ${code}`));
    return slot;
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.dispatch();
      return;
    }
    const busy = slot.busy;
    if (busy === undefined || message.id !== busy.id) return;
    if (message.type === 'done' || message.type === 'failed') {
      slot.busy = undefined;
      if (message.type === 'done') busy.resolve(message.result);
      else busy.reject(new JobFailed(message.error));
      this.dispatch();
      return;
    }
    busy.onMessage?.(message);
  }

  /** Fails the slot's job and puts a fresh worker in its place. */
  private lose(slot: Slot, reason: 'timeout' | 'crash', message: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    const reading = readHeartbeat(slot.heartbeat);
    const busy = slot.busy;
    slot.busy = undefined;
    this.slots[index] = this.spawn();
    // The old worker's exit event must not fail the new one's job.
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
    busy?.reject(new WorkerLost(reason, message, reading));
    if (busy === undefined && !slot.ready) {
      // A worker that dies before it is ready will die again: fail what waits, not loop.
      for (const pending of this.queue.splice(0)) pending.reject(new WorkerLost('crash', message, reading));
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.busy !== undefined) continue;
      const pending = this.queue.shift()!;
      slot.busy = pending;
      slot.beats = readHeartbeat(slot.heartbeat).runs;
      slot.beatAt = Date.now();
      slot.worker.postMessage({ id: pending.id, job: pending.job } satisfies JobMessage);
    }
  }

  /** The watchdog: a busy worker whose heartbeat stood still for the run timeout is ended. */
  private check(): void {
    const now = Date.now();
    for (const slot of this.slots) {
      if (slot.busy === undefined) continue;
      const reading = readHeartbeat(slot.heartbeat, false);
      if (reading.runs !== slot.beats) {
        slot.beats = reading.runs;
        slot.beatAt = now;
        continue;
      }
      const limit = reading.phase === PHASE.loading ? Math.max(LOAD_TIMEOUT_MS, this.runTimeoutMs) : this.runTimeoutMs;
      if (now - slot.beatAt > limit) this.lose(slot, 'timeout', `no progress for ${limit} ms`);
    }
  }
}

function emptyReading(): HeartbeatReading {
  return { runs: 0, phase: 0, index: 0, seed: 0, steps: 0, decisions: [] };
}
