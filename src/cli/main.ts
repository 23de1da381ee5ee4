import { runCli } from './program.js';

// The binary's entry: run the CLI on the process's arguments, then exit with its code once output is flushed.
const code = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, cwd: process.cwd() });
process.exitCode = code;
