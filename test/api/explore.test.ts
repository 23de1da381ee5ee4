import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/dist-api.js';
import { exec } from '../support/exec.js';
import type { Sandbox } from '../support/sandbox.js';
import { makeSandbox } from '../support/sandbox.js';

// explore() through Node itself (a program, not vitest: see test/e2e/vitest-project.test.ts for
// vitest), in a sandbox where `race-hunt` is this repository.
let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = makeSandbox();
});
afterAll(() => sandbox.remove());

async function program(source: string): Promise<{ code: number; output: string }> {
  sandbox.write('program.mjs', source);
  const result = await exec(process.execPath, ['program.mjs'], sandbox.dir);
  return { code: result.code, output: result.stdout + result.stderr };
}

describe('explore()', () => {
  it('refuses, with what to do, when no code in the process was instrumented', async () => {
    const { code, output } = await program(
      [
        "import { explore, scenario } from 'race-hunt';",
        "const plain = scenario('plain', { tasks: { a: async () => { await null; } } });",
        'try { await explore(plain); } catch (error) { console.log(error.code); console.log(error.message); }',
        'try { await explore({ name: "not one" }); } catch (error) { console.log(error.code); console.log(error.message); }',
      ].join('\n'),
    );
    expect(code, output).toBe(0);
    const lines = output.trim().split('\n');
    expect(lines[0]).toBe('NOT_INSTRUMENTED');
    expect(lines[1]).toMatch(/^explore\(\) was asked to explore "plain", but no code in this process was instrumented, so its awaits are no scheduling points and every schedule would pass\. Inside vitest, add the plugin/);
    expect(lines[2]).toBe('BAD_OPTION');
    expect(lines[3]).toBe('explore() takes the object scenario() returns: `explore(scenario("name", { tasks: … }))`.');
  });

  it('explores a scenario loaded by the module hooks as run() explores it: the same report for the same seed', async () => {
    // run() registers the hooks and loads the module instrumented; import() then gets that module.
    const { code, output } = await program(
      [
        "import { explore, run } from 'race-hunt';",
        "const options = { seed: 5, runs: 300, corpus: false };",
        "const [viaRun] = (await run(['lost-update.scenario.ts'], options)).scenarios;",
        "const { default: lost } = await import('./lost-update.scenario.ts');",
        'const viaExplore = await explore(lost, options);',
        'const pick = (r) => ({ file: r.file, name: r.name, status: r.status, runs: r.runs, interleavings: r.interleavings, schedule: r.violation?.schedule, trace: r.violation?.trace, replay: r.violation?.replay });',
        'console.log(JSON.stringify([pick(viaRun), pick(viaExplore)]));',
      ].join('\n'),
    );
    expect(code, output).toBe(0);
    const [viaRun, viaExplore] = JSON.parse(output) as Array<Record<string, unknown>>;
    expect(viaRun).toMatchObject({ file: 'lost-update.scenario.ts', name: 'lost update', status: 'fail' });
    expect(viaExplore).toEqual(viaRun);
  });

  it('refuses a second exploration while one is under way in the thread, and explores again once it ended', async () => {
    const { code, output } = await program(
      [
        "import { explore, run } from 'race-hunt';",
        "await run(['lost-update.scenario.ts'], { runs: 1, corpus: false });",
        "const { default: lost } = await import('./lost-update.scenario.ts');",
        'const options = { runs: 50, seed: 1, corpus: false };',
        'const [first, second] = await Promise.allSettled([explore(lost, options), explore(lost, options)]);',
        'console.log(first.status, first.value?.status);',
        'console.log(second.status, second.reason?.code, second.reason?.message);',
        'console.log((await explore(lost, options)).status);',
      ].join('\n'),
    );
    expect(code, output).toBe(0);
    expect(output.trim().split('\n')).toEqual([
      'fulfilled fail',
      'rejected BAD_OPTION explore() was asked to explore "lost update" while "lost update" is being explored in this thread: an exploration takes over the thread\'s timers and scheduling, so two cannot overlap. Await each before starting the next (in vitest, not in it.concurrent tests).',
      'fail',
    ]);
  });
});
