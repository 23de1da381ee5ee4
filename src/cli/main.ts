import { runCli } from './program.js';

// A reader that goes away (`race-hunt run … | head`) is not an error of ours: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// The binary's entry: run the CLI on the process's arguments, then exit with its code once output is flushed.
const code = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, cwd: process.cwd() });
process.exitCode = code;
