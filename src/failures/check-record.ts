import { decodeSchedule } from '../core/schedule.js';
import type { FailureRecord } from './failure-record.js';
import { VIOLATION_KINDS } from '../core/violation.js';

/** The format this race-hunt writes and reads. */
export const FAILURE_FORMAT = 'race-hunt-failure/1';

const STEP_KINDS: readonly string[] = ['start', 'resume', 'timer'];
/** What `--instrument` accepts (the same test as the option's). */
const INSTRUMENT_PATTERN = /^(@[\w.*-]+\/)?[\w.*-]+$/;

/** Thrown inside {@link checkFailureRecord}: the first field that is not what a failure file holds. */
class Problem extends Error {}

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Problem(`${field} is ${shown(value)}, not an object`);
  return value as Json;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Problem(`${field} is ${shown(value)}, not a string`);
  return value;
}

function whole(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Problem(`${field} is ${shown(value)}, not a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`);
  }
  return value;
}

function oneOf(value: unknown, field: string, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) throw new Problem(`${field} is ${shown(value)}, not one of ${allowed.join(', ')}`);
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new Problem(`${field} is ${shown(value)}, not a list`);
  return value;
}

function optional<T>(value: unknown, check: (v: unknown) => T): void {
  if (value !== undefined) check(value);
}

function schedule(value: unknown, field: string): void {
  try {
    decodeSchedule(string(value, field));
  } catch (error) {
    if (error instanceof Problem) throw error;
    throw new Problem(`${field} is not a schedule token (${(error as Error).message})`);
  }
}

/** A short, one-line rendering of a bad value for a message. */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Checks that `value` (parsed JSON) is a failure record this race-hunt can replay, shrink and
 * report: every field those read, of the right type. Returns the record, or the first problem
 * as a phrase naming the field (`options.timers is "slow", not one of fuzz, strict`).
 */
export function checkFailureRecord(value: unknown): { readonly record: FailureRecord } | { readonly problem: string } {
  try {
    const r = object(value, 'the file');
    if (r.format !== FAILURE_FORMAT) {
      throw new Problem(
        typeof r.format === 'string' && r.format.startsWith('race-hunt-failure/')
          ? `its format is ${r.format}, from another version of race-hunt (this one reads ${FAILURE_FORMAT})`
          : `format is ${shown(r.format)}, not ${FAILURE_FORMAT}`,
      );
    }
    string(r.raceHunt, 'raceHunt');
    string(r.node, 'node');
    string(r.createdAt, 'createdAt');
    optional(r.seen, (v) => whole(v, 'seen', 1));
    optional(r.lastSeen, (v) => string(v, 'lastSeen'));
    const scenario = object(r.scenario, 'scenario');
    if (string(scenario.file, 'scenario.file') === '') throw new Problem('scenario.file is empty');
    string(scenario.name, 'scenario.name');
    const exploration = object(r.exploration, 'exploration');
    whole(exploration.seed, 'exploration.seed', 0, 2 ** 32 - 1);
    string(exploration.strategy, 'exploration.strategy');
    string(exploration.foundBy, 'exploration.foundBy');
    whole(exploration.run, 'exploration.run', 1);
    const options = object(r.options, 'options');
    whole(options.maxSteps, 'options.maxSteps', 1);
    oneOf(options.timers, 'options.timers', ['fuzz', 'strict']);
    array(options.instrument, 'options.instrument').forEach((p, i) => {
      if (!INSTRUMENT_PATTERN.test(string(p, `options.instrument[${i}]`))) throw new Problem(`options.instrument[${i}] is ${shown(p)}, not a package name or pattern`);
    });
    const violation = object(r.violation, 'violation');
    oneOf(violation.kind, 'violation.kind', VIOLATION_KINDS);
    string(violation.message, 'violation.message');
    optional(violation.stack, (v) => string(v, 'violation.stack'));
    optional(violation.blocked, (v) =>
      array(v, 'violation.blocked').forEach((b, i) => {
        const blocked = object(b, `violation.blocked[${i}]`);
        string(blocked.task, `violation.blocked[${i}].task`);
        optional(blocked.location, (l) => string(l, `violation.blocked[${i}].location`));
        optional(blocked.via, (via) => array(via, `violation.blocked[${i}].via`).forEach((l, j) => string(l, `violation.blocked[${i}].via[${j}]`)));
      }),
    );
    schedule(r.schedule, 'schedule');
    whole(r.steps, 'steps', 0);
    whole(r.preemptions, 'preemptions', 0);
    array(r.trace, 'trace').forEach((s, i) => {
      const step = object(s, `trace[${i}]`);
      oneOf(step.kind, `trace[${i}].kind`, STEP_KINDS);
      string(step.task, `trace[${i}].task`);
      optional(step.location, (v) => string(v, `trace[${i}].location`));
      optional(step.time, (v) => (typeof v === 'number' && v >= 0 && Number.isFinite(v)) || fail(`trace[${i}].time is ${shown(v)}, not a number of milliseconds`));
      optional(step.immediate, (v) => v === true || fail(`trace[${i}].immediate is ${shown(v)}, not true`));
      optional(step.preemption, (v) => v === true || fail(`trace[${i}].preemption is ${shown(v)}, not true`));
    });
    const original = object(r.original, 'original');
    schedule(original.schedule, 'original.schedule');
    whole(original.steps, 'original.steps', 0);
    whole(original.preemptions, 'original.preemptions', 0);
    optional(r.shrink, (v) => {
      const shrink = object(v, 'shrink');
      if (typeof shrink.minimal !== 'boolean') fail(`shrink.minimal is ${shown(shrink.minimal)}, not true or false`);
      if (typeof shrink.cutShort !== 'boolean') fail(`shrink.cutShort is ${shown(shrink.cutShort)}, not true or false`);
      whole(shrink.runs, 'shrink.runs', 0);
      optional(shrink.minimalSteps, (m) => {
        if (typeof m !== 'boolean') fail(`shrink.minimalSteps is ${shown(m)}, not true or false`);
      });
      optional(shrink.durationMs, (d) => whole(d, 'shrink.durationMs', 0));
      optional(shrink.budgetMs, (d) => whole(d, 'shrink.budgetMs', 0));
    });
    string(r.replay, 'replay');
    optional(r.sources, (v) => Object.entries(object(v, 'sources')).forEach(([file, hash]) => string(hash, `sources[${JSON.stringify(file)}]`)));
    return { record: r as unknown as FailureRecord };
  } catch (error) {
    if (error instanceof Problem) return { problem: error.message };
    throw error;
  }
}

function fail(message: string): never {
  throw new Problem(message);
}
