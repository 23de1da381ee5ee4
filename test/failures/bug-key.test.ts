import { describe, expect, it } from 'vitest';
import { bugFileName, bugKey, mergeSighting } from '../../src/failures/bug-key.js';
import { failureRecord } from '../support/records.js';

describe('the key of a bug (which saved failure a new one replaces)', () => {
  const record = failureRecord();

  it('is the same for the same scenario, options, kind and message, whatever the schedules and trace', () => {
    const again = failureRecord({
      exploration: { seed: 7, strategy: 'random', foundBy: 'random', run: 3 },
      schedule: 'rh1.AAA',
      original: { schedule: 'rh1.BBBB', steps: 20, preemptions: 4 },
      trace: [{ kind: 'start', task: 'bob' }],
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(bugKey(again)).toBe(bugKey(record));
    expect(bugFileName(again)).toBe(bugFileName(record));
    // --instrument is a set: order and repeats do not matter.
    const a = failureRecord({ options: { maxSteps: 10_000, timers: 'fuzz', instrument: ['x', 'y'] } });
    const b = failureRecord({ options: { maxSteps: 10_000, timers: 'fuzz', instrument: ['y', 'x', 'y'] } });
    expect(bugKey(a)).toBe(bugKey(b));
  });

  it('differs for another message (even by a number), kind, scenario or replay option', () => {
    const variants = [
      failureRecord({ violation: { kind: 'invariant', message: 'balance is 0, expected 2' } }),
      failureRecord({ violation: { kind: 'always', message: record.violation.message } }),
      failureRecord({ scenario: { ...record.scenario, file: 'other.scenario.ts' } }),
      failureRecord({ scenario: { ...record.scenario, name: 'other' } }),
      failureRecord({ options: { ...record.options, timers: 'strict' } }),
      failureRecord({ options: { ...record.options, maxSteps: 40 } }),
      failureRecord({ options: { ...record.options, instrument: ['async-mutex'] } }),
    ];
    const keys = new Set([record, ...variants].map(bugKey));
    expect(keys.size).toBe(variants.length + 1);
  });

  it('for a deadlock: the blocked tasks and where they wait, in any order; not the message, which lists them as they blocked', () => {
    const blocked = [
      { task: 'alice', location: 'lib/ledger.ts:37:23' },
      { task: 'bob', location: 'lib/ledger.ts:37:23', via: ['a.ts:1:1'] },
    ];
    const one = failureRecord({ violation: { kind: 'deadlock', message: 'alice, bob wait forever; nothing else can run', blocked } });
    const other = failureRecord({ violation: { kind: 'deadlock', message: 'bob, alice wait forever; nothing else can run', blocked: [...blocked].reverse() } });
    expect(bugKey(other)).toBe(bugKey(one));
    const elsewhere = failureRecord({ violation: { kind: 'deadlock', message: one.violation.message, blocked: [blocked[0]!, { task: 'bob', location: 'lib/ledger.ts:40:1' }] } });
    expect(bugKey(elsewhere)).not.toBe(bugKey(one));
  });

  it('names the file after the scenario', () => {
    expect(bugFileName(record)).toMatch(/^bank-two-credits-more-[0-9a-f]{8}\.json$/);
  });
});

describe('a bug found again', () => {
  const first = failureRecord({ createdAt: '2025-01-01T00:00:00.000Z' });
  const newer = failureRecord({ createdAt: '2025-03-01T00:00:00.000Z', schedule: 'rh1.AAA', steps: 2 });

  it('the newer record is saved, keeping the first sighting and counting sightings', () => {
    const twice = mergeSighting(newer, first);
    expect(twice).toEqual({ ...newer, createdAt: first.createdAt, seen: 2, lastSeen: newer.createdAt });
    const thrice = mergeSighting(failureRecord({ createdAt: '2025-04-01T00:00:00.000Z' }), twice);
    expect(thrice).toMatchObject({ createdAt: first.createdAt, seen: 3, lastSeen: '2025-04-01T00:00:00.000Z' });
  });

  it('the first sighting is saved as it is', () => {
    expect(mergeSighting(newer, undefined)).toBe(newer);
  });
});
