import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerLost, WorkerPool } from '../../src/workers/pool.js';
import type { ListResult } from '../../src/workers/protocol.js';
import { assertBuilt } from '../support/dist-api.js';
import { nodeOracle } from '../support/oracle.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

const ORACLE = join(dirname(fileURLToPath(import.meta.url)), 'oracle');
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ci-gate');

describe('what the pool relies on: Node ends a worker thread, not the process', () => {
  it('terminate() stops a thread stuck in a synchronous loop', async () => {
    expect(await nodeOracle(join(ORACLE, 'terminate-loop.mjs'))).toBe('terminated with 1; main thread alive');
  });

  it('process.exit in a worker thread ends that thread only', async () => {
    expect(await nodeOracle(join(ORACLE, 'exit-in-worker.mjs'))).toBe('worker exited with 7; main thread alive');
  });

  it('running out of a heap limit ends that thread only', async () => {
    expect(await nodeOracle(join(ORACLE, 'oom-in-worker.mjs'))).toBe('ERR_WORKER_OUT_OF_MEMORY, exit 1; main thread alive');
  });
});

describe('WorkerPool', () => {
  let sandbox: Sandbox;
  let pool: WorkerPool;
  beforeAll(() => {
    assertBuilt();
    sandbox = makeSandbox(FIXTURES);
    pool = new WorkerPool(1, { cwd: sandbox.dir, instrument: [], track: false }, 500);
  });
  afterAll(async () => {
    await pool.close();
    sandbox.remove();
  });

  const settings = () => ({ maxSteps: 10_000, timers: 'fuzz' as const, cwd: sandbox.dir, keepTrace: false });
  const scenario = (name: string) => ({ path: sandbox.path('hang.scenario.ts'), shown: 'hang.scenario.ts', name });

  it('lists the scenarios of a module in a worker', async () => {
    const { names } = await pool.submit<ListResult>({ kind: 'list', path: sandbox.path('hang.scenario.ts'), shown: 'hang.scenario.ts' });
    expect([...names].sort()).toEqual(['passes beside it', 'spins when b goes first']);
  });

  it('ends a worker whose run stops making progress, tells where the run stood, and goes on with a fresh one', async () => {
    // b starts first and resumes before a starts: b spins.
    const hung = pool.submit({ kind: 'replay', scenario: scenario('spins when b goes first'), schedule: { seed: 1, decisions: [{ choice: 1, of: 2 }, { choice: 1, of: 2 }] }, settings: settings(), census: false });
    const lost = await hung.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(lost).toBeInstanceOf(WorkerLost);
    const { reason, reading } = lost as WorkerLost;
    expect(reason).toBe('timeout');
    expect(reading.phase).toBe(2); // the tasks
    expect(reading.seed).toBe(1);
    expect(reading.decisions?.[0]).toEqual({ choice: 1, of: 2 });
    const { names } = await pool.submit<ListResult>({ kind: 'list', path: sandbox.path('hang.scenario.ts'), shown: 'hang.scenario.ts' });
    expect(names).toHaveLength(2);
  });
});
