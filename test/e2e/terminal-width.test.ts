import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN } from '../support/dist-api.js';
import { stripAnsi, traceLines } from '../support/cli.js';
import { e2eSandbox } from '../support/e2e-sandbox.js';

// Long source lines through the real binary: in a terminal they are cut to its width around
// the await (… at each cut end); in a pipe or a log, where there is no width to fit, a source line
// longer than 120 characters is cut to 120 the same way. util-linux `script` gives the binary a
// terminal (a pty) whose width `stty cols` sets.
const { race, sandbox } = e2eSandbox();
const SCRIPT = '/usr/bin/script';

const WIDE = `/** A counter whose increment is one long line, with its await in the middle. */
export class Wide {
  value = 0;

  async read(retries: number): Promise<number> {
    await Promise.resolve();
    return this.value + retries * 0;
  }

  async increment(): Promise<void> {
    const settings = { label: 'a label long enough to push the await to the right', retries: 3 }; const current = await this.read(settings.retries); this.value = current + 1; // and a comment that runs on past the edge of any terminal window
  }
}
`;

const SCENARIO = `import { scenario } from 'race-hunt';
import { Wide } from './wide.js';

export default scenario('wide lines', {
  setup: () => new Wide(),
  tasks: {
    a: (wide) => wide.increment(),
    b: (wide) => wide.increment(),
  },
  invariant: (wide) => wide.value === 2 || \`value is \${wide.value}\`,
});
`;

const ARGS = ['run', 'wide/wide.scenario.ts', '--seed', '1', '--runs', '300', '--no-corpus'];
const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

/** Runs the binary with stdout on a terminal `columns` wide (stderr, the spinner's, discarded): its exit code and what the terminal showed. */
function inTerminal(columns: number, args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  const command = `stty cols ${columns} && exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')} 2>/dev/null`;
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { cwd: sandbox().dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    // A terminal ends lines with CR LF.
    child.on('close', (code) => resolve({ code, stdout: stripAnsi(stdout).replace(/\r\n/g, '\n') }));
  });
}

describe('long source lines', () => {
  it.skipIf(!existsSync(SCRIPT))('are cut to the terminal width around the await, with … at each cut end; in a pipe, to 120 characters of source', async () => {
    sandbox().write('wide/wide.ts', WIDE);
    sandbox().write('wide/wide.scenario.ts', SCENARIO);
    const [terminal, piped] = await Promise.all([inTerminal(70, ARGS), race(...ARGS)]);
    expect(terminal.code, terminal.stdout).toBe(1);
    expect(piped.code).toBe(1);

    const atAwait = (stdout: string): string[] => traceLines(stdout).filter((line) => /wide\.ts:11:\d+/.test(line));
    const cut = atAwait(terminal.stdout);
    expect(cut).toHaveLength(2);
    for (const line of cut) {
      expect([...line].length).toBeLessThanOrEqual(70);
      expect(line).toMatch(/│ …[^…]*await this\.read\([^…]*…$/);
    }
    // Every trace line fits, and the lines that were short are as in the pipe.
    expect(traceLines(terminal.stdout).every((line) => [...line].length <= 70)).toBe(true);
    expect(traceLines(terminal.stdout).filter((line) => !line.includes('…'))).toEqual(traceLines(piped.stdout).filter((line) => !/wide\.ts:11:/.test(line)));

    // In a pipe: the source line alone is cut, to 120 characters, the await in view.
    const wide = WIDE.split('\n')[10]!.trim();
    const logged = atAwait(piped.stdout);
    expect(logged).toHaveLength(2);
    for (const line of logged) {
      const code = line.slice(line.indexOf('│ ') + 2);
      expect([...code]).toHaveLength(120);
      expect(code).toMatch(/^…[^…]*await this\.read\([^…]*…$/);
      expect(wide).toContain(code.slice(1, -1));
    }
  });
});
