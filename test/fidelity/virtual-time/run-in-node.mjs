import { fileURLToPath } from 'node:url';

/**
 * Runs a case as a plain Node program when its file is run directly (`node <case>.mjs`):
 * `main(seen)` runs at the top level, and when the process exits (its event loop has emptied)
 * what the case saw is printed as one line of JSON. The scenario file imports the same `main`
 * and runs it as a task; the run's invariant reports `seen` once the run is over, which is
 * race-hunt's counterpart of the process exiting. Imported, this function does nothing.
 */
export function runInNode(url, main) {
  if (process.argv[1] !== fileURLToPath(url)) return;
  const seen = {};
  process.on('exit', () => process.stdout.write(`${JSON.stringify(seen)}\n`));
  main(seen);
}

/** `ms` rounded to the nearest `step`: real timers fire a little late, virtual ones on the dot. */
export function roughly(ms, step) {
  return Math.round(ms / step) * step;
}
