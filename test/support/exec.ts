import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { stripAnsi } from './cli.js';

const run = promisify(execFile);

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command, resolving with its exit code and (colourless) output whatever the code. */
export async function exec(command: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extraEnv };
  delete env.FORCE_COLOR;
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: stripAnsi(e.stdout ?? ''), stderr: stripAnsi(e.stderr ?? '') };
  }
}
