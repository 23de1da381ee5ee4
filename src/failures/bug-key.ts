import { createHash } from 'node:crypto';
import type { FailureRecord } from './failure-record.js';

/**
 * What makes two saved failures "the same bug", so that finding it again updates its file
 * instead of adding one (a seed sweep finds one bug under many schedules):
 *
 * - the scenario: its file and its name;
 * - the options it replays with: `--max-steps`, `--timers` and the `--instrument` patterns
 *   (as a set), since a file replays with its own;
 * - the violation's kind and its message, verbatim: two different messages are two bugs,
 *   even when they differ only in a number. For a deadlock, the blocked tasks with where
 *   each waits, in a fixed order, stand for the message (which lists them in the order the
 *   run happened to block them).
 *
 * The schedule and the trace are not part of it: shrinking makes each schedule minimal in
 * preemptions, but the same bug still shrinks to several schedules (which task goes first,
 * where the switch falls), and a key on the trace kept 3 to 5 files per bug of the bundled
 * scenarios over ten seeds. The price is that two races with one symptom in one scenario
 * share a file. That costs nothing while one of them fails (a run replays the file first, and
 * never explores past a failing one); once the saved one passes, the newer finding takes its
 * place.
 */
export function bugKey(record: Pick<FailureRecord, 'scenario' | 'options' | 'violation'>): string {
  const { scenario, options, violation } = record;
  const what =
    violation.kind === 'deadlock' && violation.blocked !== undefined && violation.blocked.length > 0
      ? violation.blocked.map((b) => [b.task, b.location ?? '', ...(b.via ?? [])].join(' < ')).sort()
      : [violation.message];
  const parts = [scenario.file, scenario.name, String(options.maxSteps), options.timers, [...new Set(options.instrument)].sort().join(' '), violation.kind, ...what];
  return parts.join('\0');
}

/** The file name of a bug: its scenario's slug, then 8 hex digits of its {@link bugKey}. */
export function bugFileName(record: Pick<FailureRecord, 'scenario' | 'options' | 'violation'>): string {
  const hash = createHash('sha256').update(bugKey(record)).digest('hex').slice(0, 8);
  return `${slugOf(record.scenario.name)}-${hash}.json`;
}

/** `lost-update-two-credits`: a file-name-safe form of a scenario name. */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug === '' ? 'scenario' : slug;
}

/**
 * The record to save when this bug was saved before (`previous`): the newer one, keeping when
 * it was first seen and counting the sightings.
 */
export function mergeSighting(newer: FailureRecord, previous: FailureRecord | undefined): FailureRecord {
  if (previous === undefined) return newer;
  const first = previous.createdAt < newer.createdAt ? previous.createdAt : newer.createdAt;
  return { ...newer, createdAt: first, seen: (previous.seen ?? 1) + 1, lastSeen: newer.createdAt };
}
