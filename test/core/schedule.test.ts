import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSchedule, encodeSchedule, ScheduleTokenError } from '../../src/core/schedule.js';
import type { Decision, Schedule } from '../../src/core/schedule.js';

const decisionArb: fc.Arbitrary<Decision> = fc
  .integer({ min: 2, max: 100_000 })
  .chain((of) => fc.record({ choice: fc.integer({ min: 0, max: of - 1 }), of: fc.constant(of) }));

const scheduleArb: fc.Arbitrary<Schedule> = fc.record(
  {
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    decisions: fc.array(decisionArb, { maxLength: 60 }),
    // A shrunk input: the seed fast-check drew from, and its shrink path.
    input: fc.record({ seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }), path: fc.array(fc.nat({ max: 5000 }), { maxLength: 30 }) }),
  },
  { requiredKeys: ['seed', 'decisions'] },
);

/** Tokens hold the prefix and base64url only: safe in URLs and unquoted in a POSIX shell. */
const TOKEN = /^rh[12]\.[A-Za-z0-9_-]*$/;

describe('schedule tokens', () => {
  it('decode(encode(s)) is s for every schedule, and tokens are URL- and shell-safe', () => {
    fc.assert(
      fc.property(scheduleArb, (schedule) => {
        const token = encodeSchedule(schedule);
        expect(token).toMatch(TOKEN);
        expect(decodeSchedule(token)).toEqual(schedule);
      }),
      { numRuns: 500 },
    );
  });

  it('encode(decode(t)) is t for every token encode makes', () => {
    fc.assert(
      fc.property(scheduleArb, (schedule) => {
        const token = encodeSchedule(schedule);
        expect(encodeSchedule(decodeSchedule(token))).toBe(token);
      }),
    );
  });

  it('distinct schedules get distinct tokens', () => {
    fc.assert(
      fc.property(scheduleArb, scheduleArb, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(encodeSchedule(a)).not.toBe(encodeSchedule(b));
      }),
    );
  });

  it('encodes a known schedule to a known token (the format is stable across versions)', () => {
    const schedule = { seed: 1, decisions: [{ choice: 1, of: 2 }, { choice: 0, of: 3 }] };
    // varints: seed 1, count 2, (1, 0), (0, 1) -> 01 02 01 00 00 01
    expect(encodeSchedule(schedule)).toBe(`rh1.${Buffer.from([1, 2, 1, 0, 0, 1]).toString('base64url')}`);
    expect(encodeSchedule({ seed: 0, decisions: [] })).toBe('rh1.AAA');
    // With an input of its own: then its seed, path length and steps -> rh2.
    expect(encodeSchedule({ ...schedule, input: { seed: 9, path: [3, 0] } })).toBe(`rh2.${Buffer.from([1, 2, 1, 0, 0, 1, 9, 2, 3, 0]).toString('base64url')}`);
  });

  it('ignores surrounding whitespace (a token pasted with a newline still reads)', () => {
    const schedule = { seed: 77, decisions: [{ choice: 2, of: 5 }] };
    expect(decodeSchedule(`  ${encodeSchedule(schedule)}\n`)).toEqual(schedule);
  });

  it('rejects every proper truncation of a token with ScheduleTokenError', () => {
    fc.assert(
      fc.property(scheduleArb, fc.nat(), (schedule, cut) => {
        const token = encodeSchedule(schedule);
        const length = 4 + (cut % (token.length - 4)); // keep "rh1." (or "rh2.") and drop at least one character
        expect(() => decodeSchedule(token.slice(0, length))).toThrow(ScheduleTokenError);
      }),
    );
  });

  it('rejects trailing data', () => {
    fc.assert(
      fc.property(scheduleArb, fc.uint8Array({ minLength: 1, maxLength: 8 }), (schedule, extra) => {
        const token = encodeSchedule(schedule);
        const bytes = Buffer.concat([Buffer.from(token.slice(4), 'base64url'), extra]);
        expect(() => decodeSchedule(`${token.slice(0, 4)}${bytes.toString('base64url')}`)).toThrow(/trailing data/);
      }),
    );
  });

  it('rejects malformed tokens with a message that says what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['', /starts with "rh1\." or "rh2\."/],
      ['rh3.AAA', /starts with "rh1\."/],
      ['AAA', /starts with "rh1\."/],
      // rh2 promises an input section
      ['rh2.AAA', /cut short/],
      ['rh1.AA$A', /only A-Z a-z 0-9 _ -/],
      ['rh1.AA=', /only A-Z a-z 0-9 _ -/],
      ['rh1.', /cut short/],
      // seed 0, count 1, choice 3 of (0 + 2) options
      [`rh1.${Buffer.from([0, 1, 3, 0]).toString('base64url')}`, /decision 1 chooses 3 of only 2 options/],
      // a count larger than the token could hold
      [`rh1.${Buffer.from([0, 100, 0, 0]).toString('base64url')}`, /cut short/],
      // a varint that never ends
      [`rh1.${Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).toString('base64url')}`, /malformed number/],
    ];
    for (const [token, message] of cases) {
      let thrown: unknown;
      try {
        decodeSchedule(token);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, token).toBeInstanceOf(ScheduleTokenError);
      expect((thrown as Error).message, token).toMatch(message);
      expect((thrown as Error).name).toBe('ScheduleTokenError');
    }
  });

  it('throws only ScheduleTokenError for arbitrary input, and what it accepts is a valid schedule', () => {
    const body = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'.split('')), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(fc.string(), body.map((b) => `rh1.${b}`)), (token) => {
        let schedule: Schedule;
        try {
          schedule = decodeSchedule(token);
        } catch (error) {
          expect(error).toBeInstanceOf(ScheduleTokenError);
          return;
        }
        expect(Number.isInteger(schedule.seed) && schedule.seed >= 0 && schedule.seed < 2 ** 32).toBe(true);
        for (const d of schedule.decisions) {
          expect(d.of).toBeGreaterThanOrEqual(2);
          expect(d.choice).toBeGreaterThanOrEqual(0);
          expect(d.choice).toBeLessThan(d.of);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
