import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram, runCli } from '../../src/cli/program.js';
import { ROOT } from '../support/dist-api.js';

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

/** Runs the CLI in-process on argv; only for paths that fail or finish before loading any scenario. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runCli(argv, { out, err, cwd: ROOT });
  return { code, out: out.text(), err: err.text() };
}

/** The README's reference of the commands: the code block under "## The CLI", by line, and the paragraph after it. */
function commandReference(readme: string): { readonly block: readonly string[]; readonly after: string } {
  const section = readme.slice(readme.indexOf('\n## The CLI\n'));
  const [, block, after] = /```\n([\s\S]*?)\n```\n\n([\s\S]*?)\n\n/.exec(section)!;
  return { block: block!.split('\n'), after: after! };
}

/**
 * What the README's reference says of `command`: its `race-hunt <command>` lines with the lines
 * that continue them (for run, its option list), and the sentences after the block that name it.
 */
function documentationOf(reference: ReturnType<typeof commandReference>, command: string): string {
  const lines: string[] = [];
  let mine = false;
  for (const line of reference.block) {
    if (line.startsWith('race-hunt ')) mine = line.startsWith(`race-hunt ${command} `);
    if (mine) lines.push(line);
  }
  const sentences = reference.after.split(/(?<=\.)\s+/).filter((sentence) => sentence.includes(`\`${command}\``));
  return [...lines, ...sentences].join('\n');
}

describe('runCli (in-process)', () => {
  it('prints help and exits 2 when given nothing; exits 0 for --help', async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.out).toMatch(/Usage: race-hunt/);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/run \[options\] \[paths\.\.\.\]/);
    expect(help.out).toMatch(/replay \[options\] <file>/);
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
    const result = await cli('--version');
    expect(result).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('documents every option of every command in its --help and in the README', async () => {
    const program = buildProgram({ out: new Writable({ write: (_c, _e, done) => done() }), err: new Writable({ write: (_c, _e, done) => done() }), cwd: ROOT }, () => {});
    const reference = commandReference(readFileSync(`${ROOT}/README.md`, 'utf8'));
    expect(program.commands.map((c) => c.name())).toEqual(['run', 'replay', 'shrink', 'report']);
    for (const command of program.commands) {
      const name = command.name();
      const { code, out } = await cli(name, '--help');
      expect(code).toBe(0);
      const documented = documentationOf(reference, name);
      expect(command.options.length).toBeGreaterThan(0);
      for (const option of command.options) {
        const flag = option.long!;
        // \b: --report must not pass for --reporter.
        expect(out, `${name} --help`).toMatch(new RegExp(`${flag}\\b`));
        // run's options each have an entry in its option list; another command's are on its own
        // lines or in a sentence that names it.
        const entry = name === 'run' ? new RegExp(`^ {2}${flag}\\b`, 'm') : new RegExp(`${flag}\\b`);
        expect(documented, `README: ${name} ${flag}`).toMatch(entry);
        // Durations read as durations: "10s", not 10000 (which would be read as seconds).
        if (option.flags.includes('<duration>') && option.defaultValue !== undefined) {
          const shown = option.defaultValueDescription ?? JSON.stringify(option.defaultValue);
          expect(shown, `${name} ${flag}`).toMatch(/^\d+(?:ms|s|m)$/);
          expect(out, `${name} --help`).toMatch(new RegExp(`${flag} <duration>[\\s\\S]*?\\(default:\\s+${shown}\\)`));
        }
      }
    }
    // The defaults a user reads most, spelled out.
    const { out } = await cli('run', '--help');
    expect(out).toMatch(/--shrink-time <duration>[\s\S]*?\(default:\s+10s\)/);
    expect(out).toMatch(/--run-timeout <duration>[\s\S]*?\(default:\s+5s\)/);
  });

  it.each([
    [['run', 'x.ts', '--runs', 'abc'], /--runs.*'abc' is invalid.*whole number/s],
    [['run', 'x.ts', '--runs', '0'], /--runs takes a number from 1/],
    [['run', 'x.ts', '--runs', '-3'], /--runs/],
    [['run', 'x.ts', '--seed', '4294967296'], /--seed takes a number from 0 to 4294967295/],
    [['run', 'x.ts', '--seed', '1.5'], /--seed takes a whole number/],
    [['run', 'x.ts', '--max-steps', '0'], /--max-steps takes a number from 1/],
    [['run', 'x.ts', '--timers', 'bogus'], /--timers.*'bogus' is invalid.*fuzz, strict/s],
    [['run', 'x.ts', '--strategy', 'genius'], /--strategy.*'genius' is invalid/s],
    [['run', 'x.ts', '--depth', '0'], /--depth/],
    [['run', 'x.ts', '--bogus-flag'], /unknown option '--bogus-flag'/],
    [['run'], /^race-hunt: name at least one scenario file or directory, e\.g\. `race-hunt run scenarios`, or list them in include of a race-hunt\.config\.ts/],
    [['run', 'x.ts', '--shard', '3/2'], /--shard.*'3\/2' is invalid.*--shard takes i\/n.*\(i goes from 1 to n\)/s],
    [['run', 'x.ts', '--shard', 'half'], /--shard.*'half' is invalid.*e\.g\. --shard 2\/4/s],
    [['replay', 'x.ts', '--scenario', 's'], /replay needs --scenario <name> and --schedule <token>/],
    [['replay', 'x.ts', '--schedule', 'rh1.AAA'], /replay needs --scenario <name> and --schedule <token>/],
    [['replay', 'missing-failure.json'], /^race-hunt: missing-failure\.json does not exist\. Failure files are saved under \.race-hunt\/failures\/\./],
    [['run', 'x.ts', '--shrink-time', 'soon'], /--shrink-time takes a duration/],
    [['explode'], /unknown command 'explode'/],
    [['run', 'x.ts', '--reporter', 'json,junit'], /^race-hunt: the json and junit reporters would both write to stdout.*--output-file junit=report\.xml\.\n$/],
    [['run', 'x.ts', '--json', '--reporter', 'terminal'], /--output-file json=report\.json/],
    [['replay', 'x.ts', '--scenario', 's', '--schedule', 'rh1.AAA', '--reporter', 'xml'], /--reporter takes terminal, json, junit, github/],
    [['shrink', 'f.json', '--output-file', 'junit=r.xml'], /--output-file junit=r\.xml names the junit reporter, which is not selected/],
  ])('rejects bad input %j with exit 2 and a message on stderr', async (argv, message) => {
    const { code, out, err } = await cli(...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });

  it('rejects a bad --instrument pattern and an unreadable schedule before loading anything', async () => {
    const instrument = await cli('run', 'x.ts', '--instrument', 'not a package!');
    expect(instrument.code).toBe(2);
    expect(instrument.err).toMatch(/^race-hunt: --instrument takes a package name or pattern.*"not a package!"/);
    const schedule = await cli('replay', 'x.ts', '--scenario', 's', '--schedule', 'garbage');
    expect(schedule.code).toBe(2);
    expect(schedule.err).toMatch(/^race-hunt: the schedule "garbage" cannot be read: a schedule token starts with "rh1\."/);
    expect(schedule.err).not.toMatch(/\n\s+at /);
  });
});
