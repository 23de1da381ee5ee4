import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../../src/core/execution-result.js';
import { likelyCause, outcomeOf, reproduces } from '../../src/core/nondeterminism.js';
import { NOTHING_UNCONTROLLED } from '../../src/core/uncontrolled.js';

const base = { schedule: { seed: 1, decisions: [] }, steps: 3, preemptions: 0, interleaving: 0, newAwaitPairs: 0 };
const failing = (kind: 'invariant' | 'exception', message: string): ExecutionResult => ({ ...base, status: 'violation', violation: { kind, message } });

describe('confirming a failure', () => {
  it('counts it reproduced only when the second run fails with the same kind and message', () => {
    const found = { kind: 'invariant' as const, message: 'value is 1, expected 2' };
    expect(reproduces(found, failing('invariant', 'value is 1, expected 2'))).toBe(true);
    expect(reproduces(found, failing('invariant', 'value is 0, expected 2'))).toBe(false);
    expect(reproduces(found, failing('exception', 'value is 1, expected 2'))).toBe(false);
    expect(reproduces(found, { ...base, status: 'pass' })).toBe(false);
    expect(reproduces(found, undefined)).toBe(false);
  });

  it('says what the second run did', () => {
    expect(outcomeOf(undefined)).toBe('passed');
    expect(outcomeOf(failing('exception', 'boom'))).toBe('failed differently (exception: boom)');
    expect(outcomeOf({ ...base, status: 'diverged', divergence: { decision: 4, message: 'at decision 4 the schedule expects 2 ready options but the run has 3' } })).toBe(
      'left the schedule at decision 4 (at decision 4 the schedule expects 2 ready options but the run has 3)',
    );
  });

  it('names real I/O first, then native awaits, else state that outlives a run', () => {
    const io = { ...NOTHING_UNCONTROLLED, realIo: [{ kind: 'TCPConnectWrap', name: 'network connects', runs: 2 }] };
    expect(likelyCause(io)).toMatch(/^real I\/O \(network connects\) ran in these runs/);
    const native = { ...NOTHING_UNCONTROLLED, awaits: [{ package: 'pg', folder: 'node_modules/pg', count: 4, sites: 2, included: false }] };
    expect(likelyCause(native)).toMatch(/^awaits ran without race-hunt's control \(pg\)/);
    expect(likelyCause({ ...native, ...io })).toMatch(/^real I\/O/);
    expect(likelyCause(NOTHING_UNCONTROLLED)).toMatch(/^state that outlives a run/);
  });
});
