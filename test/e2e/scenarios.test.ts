import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { raceHunt } from '../support/cli.js';
import { assertBuilt, ROOT } from '../support/dist-api.js';

interface Doc {
  scenarios: {
    name: string;
    status: string;
    violation?: { kind: string; preemptions: number; minimal?: boolean; shrunkFrom?: { preemptions: number }; schedule: string };
  }[];
}

// The README's main command on the bundled scenarios, through the real binary: every buggy
// scenario is found and shrunk to its known minimum, every fixed one passes.
describe('race-hunt run scenarios (the bundled examples)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'rh-scenarios-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('finds every buggy one, shrunk to the known minimum of preemptions, and passes every fixed one', async () => {
    assertBuilt();
    const { code, stdout, stderr } = await raceHunt(cwd, ['run', join(ROOT, 'scenarios'), '--json', '--seed', '5', '--no-corpus']);
    expect(code, stderr).toBe(1);
    const doc = JSON.parse(stdout) as Doc;
    const byName = new Map(doc.scenarios.map((s) => [s.name.replace(/ \((buggy|fixed)\).*$/, ` $1`), s]));
    // The known minima: a lost update and an opposite-order deadlock need exactly one
    // preemption; a check-then-act stampede none (the first reader blocks on its query).
    const expected: Record<string, { kind: string; preemptions: number }> = {
      'lost update buggy': { kind: 'invariant', preemptions: 1 },
      'lock-order deadlock buggy': { kind: 'deadlock', preemptions: 1 },
      'cache stampede buggy': { kind: 'invariant', preemptions: 0 },
      'stale response buggy': { kind: 'invariant', preemptions: 1 },
      'late timeout write buggy': { kind: 'invariant', preemptions: 0 },
      'lost wake-up buggy': { kind: 'deadlock', preemptions: 1 },
      'pool limit buggy': { kind: 'always', preemptions: 2 },
      // Needs an input with one profile twice; then the first reader blocks on its query.
      'request burst buggy': { kind: 'invariant', preemptions: 0 },
    };
    for (const [name, want] of Object.entries(expected)) {
      const found = byName.get(name);
      expect(found?.status, name).toBe('fail');
      expect(found!.violation!.kind, name).toBe(want.kind);
      expect(found!.violation!.preemptions, name).toBe(want.preemptions);
      expect(found!.violation!.minimal, name).toBe(true);
      expect(found!.violation!.shrunkFrom!.preemptions, name).toBeGreaterThanOrEqual(want.preemptions);
      const fixed = byName.get(name.replace('buggy', 'fixed'));
      expect(fixed?.status, name.replace('buggy', 'fixed')).toBe('pass');
    }
    expect(doc.scenarios).toHaveLength(16);
  });
});
