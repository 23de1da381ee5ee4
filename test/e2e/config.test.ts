import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT } from '../support/dist-api.js';
import { internalFrames, raceHunt } from '../support/cli.js';
import type { Exit } from '../support/cli.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// race-hunt.config.ts through the real binary: its include and options apply, flags override
// them, and a bad config is one paragraph naming the file and the key (exit 2).
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
});
afterAll(() => sandbox.remove());

const PASS = `import { scenario } from 'race-hunt';
import { Counter } from '../../lib/counter.js';
export default scenario('atomic increments', {
  setup: () => new Counter(),
  tasks: { alice: (c) => c.incrementAtomically(), bob: (c) => c.incrementAtomically() },
  invariant: (c) => c.value === 2 || \`value is \${c.value}, expected 2\`,
});
`;
const LOST = `import { scenario } from 'race-hunt';
import { Counter } from '../../../lib/counter.js';
export default scenario('lost update', {
  setup: () => new Counter(),
  tasks: { alice: (c) => c.increment(), bob: (c) => c.increment() },
  invariant: (c) => c.value === 2 || \`value is \${c.value}, expected 2\`,
});
`;

/** A project folder in the sandbox with these files; returns a runner whose working directory it is. */
function project(name: string, files: Record<string, string>): (...args: string[]) => Promise<Exit> {
  for (const [path, text] of Object.entries(files)) sandbox.write(`${name}/${path}`, text);
  return (...args) => raceHunt(sandbox.path(name), args);
}

interface JsonScenario {
  file: string;
  name: string;
  status: string;
  runs: number;
  strategy: string;
  violation?: { replay: string; trace: { location?: string }[] };
}
const scenariosOf = (exit: Exit): JsonScenario[] => (JSON.parse(exit.stdout) as { scenarios: JsonScenario[] }).scenarios;

describe('race-hunt.config.ts', () => {
  const race = (): ((...args: string[]) => Promise<Exit>) =>
    project('configured', {
      'race-hunt.config.ts': `import { defineConfig } from 'race-hunt';
import { Counter } from '../lib/counter.js';

// Runs the user's async code at load: it must run as plain code, not instrumented.
const probe = new Counter();
await probe.increment();
const runs: number = probe.value * 7;

export default defineConfig({
  include: ['scenarios/**/*.scenario.ts'],
  runs,
  strategy: 'random',
  maxSteps: 500,
  timers: 'strict',
  reporters: ['json'],
});
`,
      'scenarios/pass.scenario.ts': PASS,
      'scenarios/nested/lost.scenario.ts': LOST,
      'scenarios/helper.ts': "throw new Error('helper.ts is not a scenario: include must not match it');\n",
      'ci/race-hunt.ci.mjs': "export default { include: ['../scenarios/pass.scenario.ts'], runs: 4 };\n",
    });

  it('`race-hunt run` alone explores what include matches, with the config’s options', async () => {
    const result = await race()('run', '--seed', '3');
    expect(result.code, result.stderr).toBe(1);
    // reporters: ['json'] — one JSON document on stdout.
    const [lost, pass] = scenariosOf(result);
    expect([lost!.file, pass!.file]).toEqual(['scenarios/nested/lost.scenario.ts', 'scenarios/pass.scenario.ts']);
    expect(pass).toMatchObject({ status: 'pass', runs: 7, strategy: 'random' });
    expect(lost).toMatchObject({ status: 'fail', strategy: 'random' });
    // maxSteps and timers travel with the schedule: the replay command names them.
    expect(lost!.violation!.replay).toMatch(/ --max-steps 500 --timers strict$/);
    // The scenario's copy of the module the config ran was instrumented: the trace stops at its awaits
    // (shown by absolute path: lib/ is outside the working directory).
    expect(lost!.violation!.trace.some((step) => step.location?.startsWith(`${sandbox.path('lib/counter.ts')}:`))).toBe(true);
  });

  it('a flag given on the command line wins over the config, and paths given replace include', async () => {
    // --no-corpus: the failure the test above saved (strict timers, 500 steps) would be replayed first, with its options.
    const result = await race()('run', 'scenarios/nested/lost.scenario.ts', '--strategy', 'pct', '--runs', '300', '--timers', 'fuzz', '--max-steps', '10000', '--seed', '3', '--no-corpus');
    expect(result.code, result.stderr).toBe(1);
    const [lost, ...others] = scenariosOf(result);
    expect(others).toEqual([]);
    expect(lost).toMatchObject({ file: 'scenarios/nested/lost.scenario.ts', strategy: 'pct' });
    // The defaults, given explicitly, beat the config's strict timers and 500 steps.
    expect(lost!.violation!.replay).not.toMatch(/--timers|--max-steps/);

    const runs = await race()('run', 'scenarios/pass.scenario.ts', '--runs', '2', '--seed', '3');
    expect(scenariosOf(runs)[0]).toMatchObject({ runs: 2, strategy: 'random' });
  });

  it('--config names a config elsewhere, whose include is relative to its own folder', async () => {
    const result = await race()('run', '--config', 'ci/race-hunt.ci.mjs', '--seed', '3');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^✔ atomic increments scenarios\/pass\.scenario\.ts {2}4 runs · /m);
    expect(result.stdout).toMatch(/^1 scenario — 1 passed, 0 failed {2}\(seed 3\)$/m);
  });

  it('without a config or paths, says to name scenarios or list them under include', async () => {
    const result = await project('empty', { 'readme.txt': 'nothing here\n' })('run');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "race-hunt: name at least one scenario file or directory, e.g. `race-hunt run scenarios`, or list them in include of a race-hunt.config.ts (include: ['scenarios/**/*.scenario.ts']).\n",
    );
  });
});

describe('a bad config (exit 2, one paragraph naming the file and the key)', () => {
  const expectConfigError = (result: Exit, message: RegExp): void => {
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(internalFrames(result.stderr)).toEqual([]);
  };

  it('an unknown key', async () => {
    const race = project('bad-key', { 'race-hunt.config.ts': "export default { include: ['x'], shrinkTimeMs: 5000 };\n" });
    expectConfigError(await race('run'), /^race-hunt: race-hunt\.config\.ts: unknown key "shrinkTimeMs" \(did you mean "shrinkTime"\?\)\. A config may set include, /);
  });

  it('a value of the wrong type', async () => {
    const race = project('bad-type', {
      'race-hunt.config.mts': "import { defineConfig } from 'race-hunt';\nexport default defineConfig({ runs: '5' as unknown as number });\n",
    });
    expectConfigError(await race('run', 'x.scenario.ts'), /^race-hunt: race-hunt\.config\.mts: "runs" must be a whole number of at least 1; it is "5"\. Fix race-hunt\.config\.mts and run again\.\n$/);
  });

  it('a syntax error, with its line and column', async () => {
    const race = project('bad-syntax', { 'race-hunt.config.ts': "export default {\n  runs: 5,,\n};\n" });
    expectConfigError(await race('run'), /^race-hunt: could not load the config race-hunt\.config\.ts: syntax error at race-hunt\.config\.ts:2:10: /);
  });

  it('a config that throws when loaded', async () => {
    const race = project('bad-throw', { 'race-hunt.config.js': "throw new Error('no CI token');\n" });
    expectConfigError(await race('run'), /^race-hunt: could not load the config race-hunt\.config\.js: importing it threw no CI token \(at race-hunt\.config\.js:1:7\)\.\n$/);
  });

  it('--config naming no file', async () => {
    const race = project('bad-path', { 'readme.txt': '\n' });
    expectConfigError(await race('run', '--config', 'nope.config.ts'), /^race-hunt: --config nope\.config\.ts: no such file/);
  });

  it('include that matches nothing', async () => {
    const race = project('bad-include', { 'race-hunt.config.ts': "export default { include: ['scenarios/**/*.scenario.ts'] };\n" });
    expectConfigError(await race('run'), /^race-hunt: race-hunt\.config\.ts: include \('scenarios\/\*\*\/\*\.scenario\.ts'\) matched no file under /);
  });
});

describe('the README’s examples', () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');

  it('its race-hunt.config.ts is a valid config', async () => {
    const config = /```ts\n(\/\/ race-hunt\.config\.ts\n.*?)```/s.exec(readme)![1]!;
    const race = project('readme-config', { 'race-hunt.config.ts': config, 'scenarios/pass.scenario.ts': PASS });
    const result = await race('run', '--runs', '3', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(scenariosOf(result)).toMatchObject([{ file: 'scenarios/pass.scenario.ts', status: 'pass', runs: 3 }]);
  });

  it('its GitHub Actions workflow is examples/github-actions/race-hunt.yml', () => {
    const workflow = /```yaml\n(name: race-hunt\n.*?)```/s.exec(readme)![1]!;
    const example = readFileSync(`${ROOT}/examples/github-actions/race-hunt.yml`, 'utf8');
    expect(example.replace(/^#.*\n/gm, '')).toBe(workflow);
    expect(workflow).toContain('npx race-hunt run --shard ${{ matrix.shard }}/4 --reporter junit --output-file junit=race-hunt.xml');
  });
});
