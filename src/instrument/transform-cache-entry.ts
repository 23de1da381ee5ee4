/**
 * One entry of the transform cache: a file holding what instrumenting one source gave. A header
 * line names the key it answers and the length of the body, so that a file that is not a whole
 * entry (cut short by a crash, written by something else) reads as absent and is written again.
 */
import { closeSync, fstatSync, openSync, readFileSync, renameSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

/** What instrumenting one source gave: the new text, nothing to rewrite, or a refusal (the parser's reason). */
export type TransformOutcome =
  | { readonly kind: 'instrumented'; readonly code: string }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly reason: string };

const MAGIC = 'race-hunt-transform-cache/1';
const KINDS: ReadonlySet<string> = new Set(['instrumented', 'unchanged', 'refused']);
/** An entry read this long after its last use is marked used again (eviction removes the least recently used). */
const TOUCH_AFTER_MS = 60 * 60 * 1000;

/**
 * The outcome stored at `path` for `key`, or `undefined` when there is none, it answers another
 * key, or it is not a whole entry. Never throws.
 */
export function readEntry(path: string, key: string, now = Date.now()): TransformOutcome | undefined {
  let bytes: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      bytes = readFileSync(fd);
      if (now - fstatSync(fd).mtimeMs > TOUCH_AFTER_MS) touch(path, now);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(10);
  if (newline < 0) return undefined;
  const [magic, entryKey, kind, length, extra] = bytes.toString('utf8', 0, newline).split(' ');
  const bodyStart = newline + 1;
  if (magic !== MAGIC || entryKey !== key || kind === undefined || !KINDS.has(kind) || extra !== undefined) return undefined;
  if (length !== String(bytes.length - bodyStart)) return undefined;
  const body = bytes.toString('utf8', bodyStart);
  if (kind === 'instrumented') return { kind, code: body };
  if (kind === 'refused') return { kind, reason: body };
  return body === '' ? { kind: 'unchanged' } : undefined;
}

/**
 * Stores `outcome` for `key` at `path`, atomically: the entry is written to a temporary file
 * beside it and renamed into place, so a reader (another process, another thread) sees the
 * whole entry or none. Returns the error that stopped it (a full or read-only disk), never throws.
 */
export function writeEntry(path: string, key: string, outcome: TransformOutcome): Error | undefined {
  const body = Buffer.from(outcome.kind === 'instrumented' ? outcome.code : outcome.kind === 'refused' ? outcome.reason : '', 'utf8');
  const header = Buffer.from(`${MAGIC} ${key} ${outcome.kind} ${body.length}\n`, 'utf8');
  return writeAtomically(path, [header, body]);
}

/**
 * Writes `parts` to `path` through a temporary file beside it, renamed into place: readers see the
 * whole file or none. Returns the error that stopped it, never throws.
 */
export function writeAtomically(path: string, parts: readonly (Buffer | string)[]): Error | undefined {
  const temporary = `${path}.${process.pid}-${threadId}-${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const fd = openSync(temporary, 'wx');
    try {
      for (const part of parts) writeFileSync(fd, part);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    return undefined;
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never written, or already gone.
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

function touch(path: string, now: number): void {
  try {
    const time = new Date(now);
    utimesSync(path, time, time);
  } catch {
    // A read-only cache is still a cache.
  }
}
