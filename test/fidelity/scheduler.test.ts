import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceHunt } from '../support/cli.js';
import { assertBuilt, ROOT } from '../support/dist-api.js';
import { nodeOracle } from '../support/oracle.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// Fidelity of the scheduler: each case runs a plain Node script (the oracle: what Node does)
// and race-hunt on the matching scenario, through the real binary. Where Node can produce a
// bug, race-hunt finds it and no exhaustive strategy calls it verified; where Node cannot
// produce an order, race-hunt never reports it.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox(join(ROOT, 'test/fidelity/scheduler'));
});
afterAll(() => sandbox.remove());

interface Verdict {
  readonly code: number | null;
  readonly status: string;
  readonly message: string | undefined;
  readonly exhaustive: boolean | undefined;
  readonly trace: readonly { task: string; kind: string; time?: number; immediate?: boolean }[];
  readonly stderr: string;
}

async function verdict(file: string, ...args: string[]): Promise<Verdict> {
  const exit = await raceHunt(sandbox.dir, ['run', file, '--json', '--no-corpus', '--seed', '7', ...args]);
  interface JsonScenario {
    status: string;
    exhaustive?: boolean;
    violation?: { message: string; trace: Verdict['trace'] };
  }
  const scenario = (JSON.parse(exit.stdout) as { scenarios: JsonScenario[] }).scenarios[0]!;
  return {
    code: exit.code,
    status: scenario.status,
    message: scenario.violation?.message,
    exhaustive: scenario.exhaustive,
    trace: scenario.violation?.trace ?? [],
    stderr: exit.stderr,
  };
}

const oracle = (name: string): Promise<string> => nodeOracle(join(sandbox.dir, name), sandbox.dir);

/** Found by default, and neither dfs nor dpor calls it verified. */
async function expectFound(file: string, message: RegExp): Promise<Verdict> {
  const found = await verdict(file);
  expect(found.code, found.stderr).toBe(1);
  expect(found.message).toMatch(message);
  for (const strategy of ['dfs', 'dpor']) {
    const exhaustive = await verdict(file, '--strategy', strategy, '--no-shrink');
    expect(exhaustive.code, `${strategy}: ${exhaustive.stderr}`).toBe(1);
    expect(exhaustive.status).toBe('fail');
  }
  return found;
}

/** No violation by default in many runs, and verified by dfs up to `preemptions` (64: every schedule, in practice). */
async function expectNeverReported(file: string, preemptions = 64): Promise<void> {
  const explored = await verdict(file, '--runs', '3000');
  expect(explored.code, explored.message ?? explored.stderr).toBe(0);
  const dfs = await verdict(file, '--strategy', 'dfs', '--preemptions', String(preemptions));
  expect(dfs.code, dfs.message ?? dfs.stderr).toBe(0);
  expect(dfs.exhaustive).toBe(true);
}

describe('fidelity: reactions to one promise', () => {
  it('resume in the order they began waiting, back to back', async () => {
    expect(await oracle('fifo.mjs')).toBe('x,y,x2');
    await expectNeverReported('fifo.scenario.ts');
  });

  it('still lose an update that Node loses, with a trace in registration order', async () => {
    expect(await oracle('waiters-lost-update.mjs')).toBe('1');
    const found = await expectFound('waiters-lost-update.scenario.ts', /^n is 1, expected 2$/);
    const resumes = found.trace.filter((s) => s.kind === 'resume').map((s) => s.task);
    // Both resume from the shared promise one right after the other.
    expect(resumes.slice(0, 2).sort()).toEqual(['a', 'b']);
  });
});

describe('fidelity: the event loop', () => {
  it('runs every timer due when the loop wakes late before the immediates they queue (bluebird#1417)', async () => {
    expect(await oracle('late-timers-phase.mjs')).toBe('timed out');
    const found = await expectFound('late-timers-phase.scenario.ts', /^the sleep timed out$/);
    const macrotasks = found.trace.filter((s) => s.kind === 'timer');
    expect(macrotasks.map((s) => [s.time, s.immediate === true])).toEqual([
      [1001, false],
      [1001, false],
      [1001, true],
    ]);
  });

  it('runs an immediate queued by a timer callback before a 0 ms timer armed beside it', async () => {
    expect(await oracle('immediate-before-timer.mjs')).toBe('immediate,timer');
    await expectNeverReported('immediate-before-timer.scenario.ts');
  });

  it('never lets an interval starve the continuation that clears it into a false livelock', async () => {
    expect(await oracle('interval-cleared.mjs')).toBe('ended');
    // Each firing of the interval while the worker could go on is a preemption: the bound keeps the space finite.
    await expectNeverReported('interval-cleared.scenario.ts', 4);
    const strict = await verdict('interval-cleared.scenario.ts', '--timers', 'strict', '--runs', '500');
    expect(strict.code, strict.message).toBe(0);
  });

  it('turns fair before it calls a spin-wait a livelock: no strategy reports one where Node ends', async () => {
    expect(await oracle('spin-wait.mjs')).toBe('ended');
    for (const strategy of ['pct', 'sites', 'random']) {
      const explored = await verdict('spin-wait.scenario.ts', '--strategy', strategy, '--runs', '200', '--max-steps', '200');
      expect(explored.code, `${strategy}: ${explored.message ?? explored.stderr}`).toBe(0);
    }
  });

  it('never fires an unref()ed interval once the work is done, nor waits for it', async () => {
    expect(await oracle('unref.mjs')).toBe('fired 0, hasRef false, exited after under 500 ms');
    await expectNeverReported('unref.scenario.ts');
  });
});

describe('fidelity: work outside promise reactions', () => {
  it('gates the awaits of callbacks queued with process.nextTick and queueMicrotask, as the task that queued them', async () => {
    expect(await oracle('tick-lost-update.mjs')).toBe('1');
    const found = await expectFound('tick-lost-update.scenario.ts', /^n is 1, expected 2$/);
    expect(new Set(found.trace.map((s) => s.task))).toEqual(new Set(['ticked', 'queued']));
  });

  it('explores real I/O finishing before another task starts', async () => {
    expect(await oracle('io-order.mjs')).toBe('b,a');
    await expectFound('io-order.scenario.ts', /^log is b,a$/);
  });

  it('runs the ticks a stream queues before a 0 ms timer armed beside them', async () => {
    expect(await oracle('internal-tick.mjs')).toBe('data x,timer');
    await expectNeverReported('internal-tick.scenario.ts');
  });

  it('keeps timers set in I/O callbacks and by a stream’s own ticks virtual: no false deadlock', async () => {
    expect(await oracle('io-callbacks.mjs')).toBe('fired 0|12');
    for (const name of ['io: a timer set in a file-system callback', 'io: a Readable that pushes through setImmediate']) {
      const explored = await verdict('io-callbacks.scenario.ts', '--scenario', name, '--runs', '300');
      expect(explored.code, `${name}: ${explored.message ?? explored.stderr}`).toBe(0);
    }
  });
});
