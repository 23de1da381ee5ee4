import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceHunt } from '../support/cli.js';
import { assertBuilt, ROOT } from '../support/dist-api.js';

// Fidelity of race-hunt's virtual time, clock and randomness: each case in virtual-time/ is a
// plain Node program (`node <case>.mjs` prints what it saw) and, through virtual-time.scenario.mjs,
// a scenario the real binary runs once. The test pins what Node does, then asserts that race-hunt
// saw exactly the same. Runs use `--timers strict`, where a timer fires only when nothing else is
// ready, as in Node's event loop (`fuzz` also explores timers overtaking ready work).
const CASES = join(ROOT, 'test/fidelity/virtual-time');
const names = readdirSync(CASES)
  .filter((f) => f.endsWith('.mjs') && f !== 'run-in-node.mjs' && !f.endsWith('.scenario.mjs'))
  .map((f) => f.slice(0, -'.mjs'.length))
  .sort();


const run = promisify(execFile);
type Seen = Record<string, unknown>;
let dir: string;
const inNode = new Map<string, Seen>();
const inRaceHunt = new Map<string, Seen | string>();

beforeAll(async () => {
  assertBuilt();
  // A scratch project holding the cases, where `race-hunt` resolves to this repository.
  dir = mkdtempSync(join(tmpdir(), 'rh-fidelity-'));
  cpSync(CASES, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "rh-fidelity", "private": true, "type": "module" }\n');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'race-hunt'), 'dir');

  for (const name of names) {
    const { stdout } = await run(process.execPath, [`${name}.mjs`], { cwd: dir });
    inNode.set(name, JSON.parse(stdout) as Seen);
  }
  const { code, stdout, stderr } = await raceHunt(dir, ['run', '.', '--json', '--runs', '1', '--seed', '1', '--no-shrink', '--no-corpus', '--timers', 'strict']);
  expect(code, stderr).toBe(1); // every probe "fails": its message is what it saw
  const report = JSON.parse(stdout) as { scenarios: { name: string; violation?: { kind: string; message: string } }[] };
  for (const { name, violation } of report.scenarios) {
    inRaceHunt.set(name, violation?.kind === 'invariant' ? (JSON.parse(violation.message) as Seen) : `${violation?.kind}: ${violation?.message}`);
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What Node does, case by case: the point each case makes. */
const NODE_DOES: Record<string, (seen: Seen) => void> = {
  'abort-signal-timeout': (seen) => {
    expect(seen.order).toEqual(['abort', 'any, with the same reason', 'slept']);
    expect(seen.after).toBe(100);
    expect(seen.replacementCalls).toBe(0); // Node's own timer, not the global setTimeout
    expect(seen.reason).toEqual({ isDOMException: true, name: 'TimeoutError', message: 'The operation was aborted due to timeout', code: 23 });
  },
  'abort-signal-timeout-arguments': (seen) => {
    expect((seen.errors as { code: string }[]).map((e) => e.code)).toEqual(['ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE', 'ERR_INVALID_ARG_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE']);
    expect([seen.zeroAtOnce, seen.zeroLater]).toEqual([false, true]);
  },
  'abort-signal-timeout-unref': (seen) => expect(seen).toEqual({ listenerRan: false, abortedAtEnd: false }),
  'clear-by-id': (seen) => {
    expect(seen.id).toEqual({ isNumber: true, stable: true, distinct: true, template: true });
    expect(seen.fired).toEqual(['e', 'f']);
  },
  'crypto-arguments': (seen) => {
    const refused = seen.refused as Record<string, { name?: string; code?: string | number } | string>;
    expect(refused['randomInt(5, 2)']).toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    expect(refused['getRandomValues(float32)']).toMatchObject({ name: 'TypeMismatchError', code: 17 });
    expect(refused['webcrypto.randomUUID, detached']).toMatchObject({ code: 'ERR_INVALID_THIS' });
    expect(refused['randomFillSync(arrayBuffer)']).toBe('object');
    expect(Object.values(seen.returns as object).every((v) => v === true || v === 5)).toBe(true);
    expect((seen.callbacks as string[][]).map((c) => c[0])).toEqual(['randomFill, nothing to fill', 'returned', 'randomInt', 'tick', 'randomFill', 'randomBytes']);
  },
  'date-identity': (seen) => {
    expect(seen).toMatchObject({ constructor: true, name: 'Date', length: 7, prototypeConstructor: true, prototypeOfDate: true, nodeMadeDate: true });
    expect(seen.ownNames).toEqual(['length', 'name', 'prototype', 'now', 'parse', 'UTC']);
    expect(Object.values(seen.subclass as object).slice(0, -1).every((v) => v === true)).toBe(true);
  },
  'interval-options': (seen) => {
    expect(seen.firstTickOfLateStart).toBe(500); // started at the first next(), 300 ms in
    expect(seen.abort).toEqual({ name: 'AbortError', code: 'ABORT_ERR', message: 'The operation was aborted', cause: 'stop', isError: true });
    expect(seen.afterAbort).toEqual({ done: true });
    expect(seen.refused).toHaveLength(5);
  },
  'interval-slow-consumer': (seen) => {
    const at = (seen.deliveredAt as [string, number][]).map(([, ms]) => ms);
    // The ticks at 400, 600 and 800 ms waited for the busy consumer, then came at once.
    expect(at).toEqual([200, 900, 900, 900, 1000, 1200]);
  },
  'process-clocks': (seen) => {
    expect(Object.values(seen.atStart as object).every((v) => v === true)).toBe(true);
    expect(seen.moved).toEqual({ now: 300, uptime: 300, hrtime: 300, hrtimeDiff: 300, date: 300 });
  },
  'promisify-timers': (seen) => {
    expect(seen.identity).toEqual({ setTimeout: true, setImmediate: true, timersModule: true });
    expect(seen.order).toEqual([
      ['immediate', 0],
      ['slept', 200],
    ]);
  },
  'timer-promise-options': (seen) => {
    expect((seen.alreadyAborted as { cause: string }[]).map((e) => e.cause)).toEqual(['before', 'before', 'before']);
    expect((seen.abortedWhilePending as { cause: string }[]).map((e) => e.cause)).toEqual(['during', 'during']);
    expect(seen.notAborted).toEqual([{ value: 'v' }, { value: 'w' }]);
    expect(seen.wrongThis).toMatchObject({ code: 'ERR_INVALID_THIS' });
  },
  'timer-promises-unref': (seen) => expect(seen).toEqual({ fired: [] }),
  'ttl-cache': (seen) => expect(seen).toEqual({ atOnce: 'alice', afterTwiceTheTtl: null }),
};

describe('virtual time, clock and randomness behave as Node does', () => {
  it('every case has its statement of what Node does, and a scenario', () => {
    expect(Object.keys(NODE_DOES).sort()).toEqual(names);
    expect([...inRaceHunt.keys()].sort()).toEqual(names);
  });

  for (const name of names) {
    it(`${name}: what Node does`, () => {
      NODE_DOES[name]!(inNode.get(name)!);
    });
    it(`${name}: race-hunt sees the same`, () => {
      expect(inRaceHunt.get(name)).toEqual(inNode.get(name));
    });
  }
});
