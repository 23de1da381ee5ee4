import { spawn } from 'node:child_process';
import { BIN } from './dist-api.js';

export interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The environment of a spawned race-hunt: no colour, whatever the caller's terminal says. */
function environment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  return env;
}

function collect(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) }));
  });
}

/** Runs the real binary (`node bin/race-hunt.js …`) in `cwd`. */
export function raceHunt(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Exit> {
  return collect(process.execPath, [BIN, ...args], cwd, environment(env));
}

/**
 * Runs a command line exactly as a user would paste it into a POSIX shell, with `npx
 * race-hunt` standing for this repository's binary (a shell function: no registry involved).
 */
export function shell(cwd: string, commandLine: string): Promise<Exit> {
  const script = `npx() { [ "$1" = race-hunt ] || exit 97; shift; exec "${process.execPath}" "${BIN}" "$@"; }\n${commandLine}\n`;
  return collect('/bin/sh', ['-c', script], cwd, environment());
}

/** The steps of the (first) trace a human report printed: the numbered lines, as printed. */
export function traceLines(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^ {2}trace \(/.test(l));
  if (start < 0) return [];
  const steps: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (steps.length === 0 && /^ {2}(shrunk from |not shrunk)/.test(line)) continue;
    if (!/^ {4}/.test(line)) break;
    steps.push(line);
  }
  return steps;
}

/** The replay command a human report printed. */
export function replayCommandOf(stdout: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith('  replay: '));
  if (line === undefined) throw new Error(`no replay command in:\n${stdout}`);
  return line.slice('  replay: '.length);
}

/** Lines of a stack trace that point into race-hunt's own code (or Node's). Users should never see these. */
export function internalFrames(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at /.test(l) && /\/dist\/|\/src\/(?:runtime|api|core|cli|loading|instrument)\/|node:internal|\/node_modules\/race-hunt\//.test(l));
}
