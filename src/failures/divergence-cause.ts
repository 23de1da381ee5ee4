import type { ReplayOptions } from '../core/replay-command.js';

/** What a replay of a saved failure compares: the options, source hashes and versions it was saved with, or runs with now. */
export interface ReplayContext {
  readonly options: ReplayOptions;
  /** File → hash (see `source-hashes.ts`). Saved: absent in files saved before hashes were kept. Now: the same files, hashed now; a file that cannot be read is absent. */
  readonly sources?: Readonly<Record<string, string>>;
  readonly raceHunt: string;
  readonly node: string;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

function instrumentPhrase(patterns: readonly string[]): string {
  return patterns.length === 0 ? 'no --instrument' : patterns.map((p) => `--instrument ${p}`).join(' ');
}

/** The `--instrument` patterns of two option sets differ (as sets: order and repeats do not matter). */
export function instrumentDiffers(a: readonly string[], b: readonly string[]): boolean {
  const set = (list: readonly string[]): string => [...new Set(list)].sort().join('\0');
  return set(a) !== set(b);
}

/**
 * The differences between how a failure was saved and how it is replayed that can make its
 * schedule no longer fit, most likely first: options, then source files, then versions.
 * Each is one phrase ("lib/counter.ts changed since it was saved"); empty when none is known.
 */
export function divergenceCauses(saved: ReplayContext, now: ReplayContext): string[] {
  const causes: string[] = [];
  if (instrumentDiffers(saved.options.instrument, now.options.instrument)) {
    causes.push(
      now.options.instrument.length === 0
        ? `it was explored with ${instrumentPhrase(saved.options.instrument)}; this replay was not`
        : `it was explored with ${instrumentPhrase(saved.options.instrument)}; this replay with ${instrumentPhrase(now.options.instrument)}`,
    );
  }
  if (saved.options.timers !== now.options.timers) causes.push(`it was saved with --timers ${saved.options.timers}; this replay ran with --timers ${now.options.timers}`);
  if (saved.options.maxSteps !== now.options.maxSteps) causes.push(`it was saved with --max-steps ${saved.options.maxSteps}; this replay ran with --max-steps ${now.options.maxSteps}`);
  if (saved.sources !== undefined) {
    const files = Object.keys(saved.sources);
    const gone = files.filter((f) => now.sources?.[f] === undefined);
    const changed = files.filter((f) => now.sources?.[f] !== undefined && now.sources[f] !== saved.sources![f]);
    if (changed.length > 0) causes.push(`${listed(changed)} changed since it was saved`);
    if (gone.length > 0) causes.push(`${listed(gone)} ${gone.length === 1 ? 'is' : 'are'} gone`);
  }
  if (saved.raceHunt !== now.raceHunt) causes.push(`it was saved by race-hunt ${saved.raceHunt}; this is ${now.raceHunt}`);
  if (saved.node !== now.node) causes.push(`it was saved under Node ${saved.node}; this is ${now.node}`);
  return causes;
}

/**
 * One phrase for a report: "likely cause: …", or, when nothing recorded changed, what is
 * left (a file the trace does not name changed, or the scenario is not deterministic).
 */
export function likelyCause(saved: ReplayContext, now: ReplayContext): string {
  const causes = divergenceCauses(saved, now);
  if (causes.length > 0) return `likely cause: ${causes.join('; ')}`;
  const files =
    saved.sources === undefined
      ? 'its options, race-hunt and Node are as they were (the file predates source hashes, so a changed file cannot be named)'
      : 'its options, the files its trace passes through, race-hunt and Node are all as they were';
  return `${files}: a file those import may have changed, or the scenario is not deterministic (real I/O, or randomness race-hunt does not control)`;
}
