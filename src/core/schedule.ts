/**
 * A schedule: everything needed, besides the scenario itself, to reproduce one execution.
 * It is the one value passed between exploring, replaying and reporting.
 *
 * Only real decisions are recorded (steps where more than one option was ready): forced
 * steps carry no information, and recording them makes replay brittle.
 */
export interface Decision {
  /** The index chosen in the canonically sorted option list. */
  readonly choice: number;
  /** How many options there were; lets replay say exactly where a run stopped following the schedule. */
  readonly of: number;
}

export interface Schedule {
  /** Seeds the scenario's `Math.random`, `crypto.randomUUID`, … for this execution. */
  readonly seed: number;
  readonly decisions: readonly Decision[];
  /**
   * Which input a scenario with `spec.input` runs with, when not the one drawn from `seed`: the
   * seed fast-check drew from and the path of shrinking steps from that value (fast-check's
   * `counterexamplePath` without its leading run index). Set once an input has been shrunk.
   */
  readonly input?: InputChoice;
}

export interface InputChoice {
  readonly seed: number;
  readonly path: readonly number[];
}

const PREFIX = 'rh1.';
/** A schedule with an input of its own (`input`): the same body, then the input section, which it must have. */
const PREFIX_WITH_INPUT = 'rh2.';

function pushVarint(out: number[], value: number): void {
  let v = value >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** Encodes a schedule as a short, URL- and shell-safe token such as `rh1.AQIDBA`. */
export function encodeSchedule(schedule: Schedule): string {
  const bytes: number[] = [];
  pushVarint(bytes, schedule.seed);
  pushVarint(bytes, schedule.decisions.length);
  for (const d of schedule.decisions) {
    pushVarint(bytes, d.choice);
    pushVarint(bytes, d.of - 2); // a decision always has at least two options
  }
  // An input chosen apart from the seed: a section after the decisions, in a token of its own
  // prefix, so that a token cut right before it does not read as one without it.
  if (schedule.input !== undefined) {
    pushVarint(bytes, schedule.input.seed);
    pushVarint(bytes, schedule.input.path.length);
    for (const step of schedule.input.path) pushVarint(bytes, step);
    return PREFIX_WITH_INPUT + Buffer.from(bytes).toString('base64url');
  }
  return PREFIX + Buffer.from(bytes).toString('base64url');
}

/** Why a token could not be read. */
export class ScheduleTokenError extends Error {
  override readonly name = 'ScheduleTokenError';
}

/** Decodes a token made by {@link encodeSchedule}; throws {@link ScheduleTokenError} on anything else. */
export function decodeSchedule(token: string): Schedule {
  const text = token.trim();
  const withInput = text.startsWith(PREFIX_WITH_INPUT);
  if (!text.startsWith(PREFIX) && !withInput) {
    throw new ScheduleTokenError(`a schedule token starts with "${PREFIX}" or "${PREFIX_WITH_INPUT}"; got "${text.slice(0, 12)}"`);
  }
  const body = text.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(body)) throw new ScheduleTokenError('a schedule token holds only A-Z a-z 0-9 _ -');
  const bytes = Buffer.from(body, 'base64url');
  let pos = 0;
  const readVarint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = bytes[pos++];
      if (byte === undefined) throw new ScheduleTokenError('the schedule token is cut short');
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new ScheduleTokenError('the schedule token holds a malformed number');
  };
  const seed = readVarint();
  const count = readVarint();
  if (count > bytes.length) throw new ScheduleTokenError('the schedule token is cut short');
  const decisions: Decision[] = [];
  for (let i = 0; i < count; i++) {
    const choice = readVarint();
    const of = readVarint() + 2;
    if (choice >= of) throw new ScheduleTokenError(`decision ${i + 1} chooses ${choice} of only ${of} options`);
    decisions.push({ choice, of });
  }
  if (!withInput) {
    if (pos !== bytes.length) throw new ScheduleTokenError('the schedule token has trailing data');
    return { seed: seed >>> 0, decisions };
  }
  const inputSeed = readVarint();
  const steps = readVarint();
  if (steps > bytes.length) throw new ScheduleTokenError('the schedule token is cut short');
  const path: number[] = [];
  for (let i = 0; i < steps; i++) path.push(readVarint());
  if (pos !== bytes.length) throw new ScheduleTokenError('the schedule token has trailing data');
  return { seed: seed >>> 0, decisions, input: { seed: inputSeed >>> 0, path } };
}
