import { describe, expect, it } from 'vitest';
import { checkFailureRecord } from '../../src/failures/check-record.js';
import { failureRecord } from '../support/records.js';

/** The record with one field (a dotted path) set to `value`, or removed when `value` is undefined. */
function withField(path: string, value: unknown): unknown {
  const record = JSON.parse(JSON.stringify(failureRecord())) as Record<string, unknown>;
  const keys = path.split('.');
  let at = record;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (value === undefined) delete at[keys[keys.length - 1]!];
  else at[keys[keys.length - 1]!] = value;
  return record;
}

const problemOf = (value: unknown): string | undefined => {
  const checked = checkFailureRecord(value);
  return 'problem' in checked ? checked.problem : undefined;
};

describe('checking a failure file before it is replayed, shrunk or reported', () => {
  it('accepts what race-hunt saves, with or without the optional fields', () => {
    expect(checkFailureRecord(failureRecord())).toEqual({ record: failureRecord() });
    const { shrink: _shrink, ...unshrunk } = failureRecord();
    expect(problemOf(unshrunk)).toBeUndefined();
    expect(problemOf(failureRecord({ seen: 3, lastSeen: '2025-02-01T00:00:00.000Z', sources: { 'a.ts': '0123456789abcdef' } }))).toBeUndefined();
  });

  it('rejects what is not a record at all', () => {
    expect(problemOf(null)).toBe('the file is null, not an object');
    expect(problemOf([])).toBe('the file is [], not an object');
    expect(problemOf('garbage')).toBe('the file is "garbage", not an object');
    expect(problemOf({})).toBe('format is missing, not race-hunt-failure/1');
  });

  it('says when the format is another version', () => {
    expect(problemOf(withField('format', 'race-hunt-failure/2'))).toBe('its format is race-hunt-failure/2, from another version of race-hunt (this one reads race-hunt-failure/1)');
  });

  it('names the first field that replay, shrink or report would trip on', () => {
    const cases: [string, unknown, string][] = [
      ['scenario', undefined, 'scenario is missing, not an object'],
      ['scenario.file', '', 'scenario.file is empty'],
      ['scenario.name', 3, 'scenario.name is 3, not a string'],
      ['schedule', 'rh1.!!', 'schedule is not a schedule token (a schedule token holds only A-Z a-z 0-9 _ -)'],
      ['schedule', 'garbage', 'schedule is not a schedule token (a schedule token starts with "rh1." or "rh2."; got "garbage")'],
      ['original.schedule', undefined, 'original.schedule is missing, not a string'],
      ['options', null, 'options is null, not an object'],
      ['options.maxSteps', 0, 'options.maxSteps is 0, not a whole number from 1 up'],
      ['options.maxSteps', '40', 'options.maxSteps is "40", not a whole number from 1 up'],
      ['options.timers', 'slow', 'options.timers is "slow", not one of fuzz, strict'],
      ['options.instrument', 'x', 'options.instrument is "x", not a list'],
      ['options.instrument', ['ok', 'not ok'], 'options.instrument[1] is "not ok", not a package name or pattern'],
      ['exploration.seed', -1, 'exploration.seed is -1, not a whole number from 0 to 4294967295'],
      ['exploration.run', 0, 'exploration.run is 0, not a whole number from 1 up'],
      ['violation.kind', 'oops', 'violation.kind is "oops", not one of invariant, always, exception, deadlock, step-limit, exit, timeout, crash'],
      ['violation.blocked', [{ location: 'a.ts:1:1' }], 'violation.blocked[0].task is missing, not a string'],
      ['trace', [{ kind: 'start' }], 'trace[0].task is missing, not a string'],
      ['trace', [{ kind: 'jump', task: 'a' }], 'trace[0].kind is "jump", not one of start, resume, timer'],
      ['steps', 1.5, 'steps is 1.5, not a whole number from 0 up'],
      ['shrink.minimal', 'yes', 'shrink.minimal is "yes", not true or false'],
      ['replay', undefined, 'replay is missing, not a string'],
      ['createdAt', undefined, 'createdAt is missing, not a string'],
      ['seen', 0, 'seen is 0, not a whole number from 1 up'],
      ['sources', { 'a.ts': 1 }, 'sources["a.ts"] is 1, not a string'],
    ];
    for (const [field, value, problem] of cases) expect(problemOf(withField(field, value)), field).toBe(problem);
  });

  it('keeps a long bad value short', () => {
    expect(problemOf(withField('options.timers', 'x'.repeat(100)))).toBe(`options.timers is "${'x'.repeat(36)}..., not one of fuzz, strict`);
  });
});
