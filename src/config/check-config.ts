import { isAbsolute, relative, resolve } from 'node:path';
import { parseDuration } from '../core/duration.js';
import { RaceHuntError } from '../core/errors.js';
import { STRATEGY_NAMES } from '../strategies/registry.js';
import type { RaceHuntConfig, ReporterName } from './define-config.js';
import type { RunSettings } from './run-settings.js';

/** The reporters a config may name (as `--reporter` does). */
export const REPORTER_NAMES: readonly ReporterName[] = ['terminal', 'json', 'junit', 'github'];

/** A config file, checked: its globs, and the options it sets in command-line form. */
export interface CheckedConfig {
  /** Where the config file is, as shown to the user (relative to the working directory). */
  readonly shown: string;
  /** The folder `include` globs and output files are relative to. */
  readonly dir: string;
  readonly include?: readonly string[];
  readonly settings: Partial<RunSettings>;
}

/** Where a config was loaded from. */
export interface ConfigPlace {
  readonly shown: string;
  readonly dir: string;
  readonly cwd: string;
}

/** Says what a value should have been; `key` and `value` name a part of it (an entry of a list) rather than the whole. */
type Problem = (expected: string, key?: string, value?: unknown) => never;

type Check = (value: unknown, problem: Problem, place: ConfigPlace) => Partial<RunSettings> | { include: string[] };

const whole =
  (key: keyof RunSettings, min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (value, problem) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problem(max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`);
    }
    return { [key]: value };
  };

const oneOf =
  (key: keyof RunSettings, choices: readonly string[]): Check =>
  (value, problem) => {
    if (typeof value !== 'string' || !choices.includes(value)) problem(`one of ${choices.map((c) => `'${c}'`).join(', ')}`);
    return { [key]: value };
  };

const duration =
  (key: keyof RunSettings, positive: boolean): Check =>
  (value, problem) => {
    const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined || !Number.isFinite(ms) || ms < 0 || (positive && ms === 0)) {
      problem(`a duration: a string such as '500ms', '10s' or '20m', or a number of milliseconds${positive ? ' above 0' : ''}`);
    }
    return { [key]: ms };
  };

function strings(value: unknown, problem: Problem, what: string, nonEmpty = false): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) problem(`a list of ${what} (strings)`);
  if (nonEmpty && value.length === 0) problem(`a list of ${what}, not an empty one (leave the key out instead)`);
  return [...(value as string[])];
}

/** Every key a config may have, and how to check and convert its value. */
const CHECKS: Record<keyof RaceHuntConfig, Check> = {
  include: (value, problem) => ({ include: strings(value, problem, 'globs or paths of scenario files', true) }),
  runs: whole('runs', 1),
  strategy: oneOf('strategy', STRATEGY_NAMES),
  depth: whole('depth', 1, 64),
  preemptions: whole('preemptions', 0, 64),
  delays: whole('delays', 0, 64),
  maxSteps: whole('maxSteps', 1),
  timers: oneOf('timers', ['fuzz', 'strict']),
  instrument: (value, problem) => ({ instrument: strings(value, problem, 'package names or patterns such as async-mutex or @acme/*') }),
  shrinkTime: duration('shrinkTime', false),
  reporters: checkReporters,
  workers: whole('workers', 0),
  runTimeout: duration('runTimeout', true),
  timeBudget: duration('timeBudget', true),
};

const KEYS = Object.keys(CHECKS) as (keyof RaceHuntConfig)[];

/**
 * Checks what a config file exports by default and turns it into command-line form. Throws
 * `CONFIG_INVALID` naming the file and the key for anything else: a default export that is no
 * object, an unknown key, a value of the wrong type or out of range.
 */
export function checkConfig(exported: unknown, place: ConfigPlace): CheckedConfig {
  const fail = (problem: string): never => {
    throw new RaceHuntError('CONFIG_INVALID', `${place.shown}: ${problem} Fix ${place.shown} and run again.`);
  };
  if (typeof exported !== 'object' || exported === null || Array.isArray(exported)) {
    fail(`its default export must be the options object, \`export default defineConfig({ include: ['scenarios/**/*.scenario.ts'] })\` with defineConfig from 'race-hunt'; it is ${describe(exported)}.`);
  }
  let include: string[] | undefined;
  let settings: Partial<RunSettings> = {};
  for (const [key, value] of Object.entries(exported as object)) {
    if (!(KEYS as string[]).includes(key)) {
      const near = nearest(key, KEYS);
      fail(`unknown key "${key}"${near === undefined ? '' : ` (did you mean "${near}"?)`}. A config may set ${KEYS.join(', ')}.`);
    }
    if (value === undefined) continue;
    const problem: Problem = (expected, part = key, partValue = value) => fail(`"${part}" must be ${expected}; it is ${describe(partValue)}.`);
    const checked = CHECKS[key as keyof RaceHuntConfig](value, problem, place);
    if ('include' in checked) include = checked.include;
    else settings = { ...settings, ...checked };
  }
  return { shown: place.shown, dir: place.dir, ...(include === undefined ? {} : { include }), settings };
}

/** `reporters: ['terminal', ['junit', { outputFile: 'race-hunt.xml' }]]` → `--reporter` names and `--output-file` words. */
function checkReporters(value: unknown, problem: Problem, place: ConfigPlace): Partial<RunSettings> {
  const one = `a name (${REPORTER_NAMES.map((n) => `'${n}'`).join(', ')}) or [name, { outputFile: 'path' }]`;
  if (!Array.isArray(value)) problem(`a list of reporters, each ${one}`);
  const reporter: string[] = [];
  const outputFile: string[] = [];
  for (const [index, entry] of (value as unknown[]).entries()) {
    // Name the entry at fault: `"reporters[1]" must be …; it is ["junit",{"outputFile":1}]`.
    const bad = (): never => problem(`a reporter: ${one}`, `reporters[${index}]`, entry);
    const [name, options] = Array.isArray(entry) ? (entry.length === 2 ? entry : [undefined]) : [entry, {}];
    if (typeof name !== 'string' || !(REPORTER_NAMES as string[]).includes(name)) bad();
    if (typeof options !== 'object' || options === null || Object.keys(options).some((k) => k !== 'outputFile')) bad();
    const file = (options as { outputFile?: unknown }).outputFile;
    if (file !== undefined && (typeof file !== 'string' || file === '')) bad();
    reporter.push(name as string);
    // A path in the config is relative to the config's folder; the command line's, to the working directory.
    if (typeof file === 'string') outputFile.push(`${name as string}=${fromConfigDir(file, place)}`);
  }
  return { reporter, ...(outputFile.length === 0 ? {} : { outputFile }) };
}

/** A path the config wrote, relative to its own folder, as the working directory sees it. */
function fromConfigDir(path: string, place: ConfigPlace): string {
  if (isAbsolute(path)) return path;
  const absolute = resolve(place.dir, path);
  const fromCwd = relative(place.cwd, absolute);
  return fromCwd.startsWith('..') ? absolute : fromCwd;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array (${truncate(JSON.stringify(value) ?? '[…]')})`;
  if (typeof value === 'function') return 'a function';
  return `an object (${truncate(safeJson(value))})`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '{…}';
  } catch {
    return '{…}';
  }
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The known key a misspelt one most likely meant: same letters ignoring case, or within two edits. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { key: candidate, distance };
  }
  if (best !== undefined) return best.key;
  return known.find((candidate) => key.toLowerCase().startsWith(candidate.toLowerCase()));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
