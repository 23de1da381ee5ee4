import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs a plain Node script (no race-hunt) and returns what it printed, trimmed: the fidelity
 * suite's oracle, showing what Node itself does beside what race-hunt reports.
 */
export async function nodeOracle(script: string, cwd?: string, nodeArgs: readonly string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, [...nodeArgs, script], { cwd, timeout: 30_000 });
  return stdout.trim();
}
