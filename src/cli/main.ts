import { runCli } from './program.js';
import { EXIT } from '../core/errors.js';

// A reader that goes away (`race-hunt run … | head`) is not an error of ours: what is still
// written is dropped, and the findings still decide the exit code (pipefail sees it).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

// SIGINT/SIGTERM: stop exploring at the next run, report what was explored, exit 130. A
// second signal does not wait.
const interrupt = new AbortController();
const onSignal = (): void => {
  if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// The binary's entry: run the CLI on the process's arguments, then exit with its code once output is flushed.
const code = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, cwd: process.cwd(), signal: interrupt.signal });
process.exitCode = code;
