import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { RaceHuntError } from '../core/errors.js';
import { combineReporters } from './combine.js';
import type { Reporter } from './reporter.js';

/**
 * Writes `text` to `path` atomically: its folders made, a temporary file beside it, then a
 * rename, so a CI step that reads the file never sees half of one. A failure is a
 * {@link RaceHuntError} naming the file.
 */
export function writeTextAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    removeQuietly(temporary);
    const why = error instanceof Error ? error.message : String(error);
    throw new RaceHuntError('BAD_OPTION', `could not write the report file ${path}: ${why}. Check that race-hunt can create and write files there, or choose another path.`);
  }
}

/** Removes a file if it is there; a path that cannot hold one (its folder is a file) has nothing to remove. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was written there.
  }
}

/** A stream that keeps what is written to it, synchronously (each write completes at once). */
function textBuffer(): { readonly stream: Writable; readonly text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/**
 * The reporter `make` builds, with its output going to the file at `path` instead of a
 * terminal: kept in memory while the run goes, written atomically when it ends.
 */
export function reportToFile(path: string, make: (out: NodeJS.WritableStream) => Reporter): Reporter {
  const buffer = textBuffer();
  return combineReporters([make(buffer.stream), { onRunEnd: () => writeTextAtomically(path, buffer.text()) }]);
}
