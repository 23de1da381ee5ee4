import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RaceHuntError } from '../../src/core/errors.js';
import { combineReporters } from '../../src/reporters/combine.js';
import type { Reporter } from '../../src/reporters/reporter.js';
import { reportToFile, writeTextAtomically } from '../../src/reporters/report-file.js';
import { scenarioReport } from '../support/reports.js';

/** A reporter that logs each hook it hears, prefixed with its name. */
function recorder(name: string, log: string[], throwsAt?: keyof Reporter): Reporter {
  const hear = (hook: keyof Reporter) => (): void => {
    log.push(`${name}.${hook}`);
    if (hook === throwsAt) throw new Error(`${name} failed`);
  };
  return { onRunStart: hear('onRunStart'), onScenarioEnd: hear('onScenarioEnd'), onRunEnd: hear('onRunEnd') };
}

const report = { seed: 1, scenarios: [scenarioReport()] };

describe('combineReporters', () => {
  it('hands every hook to each reporter in order, and only the hooks some reporter has', () => {
    const log: string[] = [];
    const combined = combineReporters([recorder('a', log), { onProgress: () => log.push('b.onProgress') }, recorder('c', log)]);
    expect(Object.keys(combined).sort()).toEqual(['onProgress', 'onRunEnd', 'onRunStart', 'onScenarioEnd']);
    combined.onRunStart?.({ seed: 1, mode: 'run' });
    combined.onProgress?.({ file: 'f', name: 'n', runs: 1, budget: 2, interleavings: 1, elapsedMs: 1 });
    combined.onScenarioEnd?.(report.scenarios[0]!);
    combined.onRunEnd?.(report);
    expect(log).toEqual(['a.onRunStart', 'c.onRunStart', 'b.onProgress', 'a.onScenarioEnd', 'c.onScenarioEnd', 'a.onRunEnd', 'c.onRunEnd']);
  });

  it('lets every reporter hear a hook when one throws, then throws the first error', () => {
    const log: string[] = [];
    const combined = combineReporters([recorder('a', log, 'onRunEnd'), recorder('b', log, 'onRunEnd'), recorder('c', log)]);
    expect(() => combined.onRunEnd?.(report)).toThrow('a failed');
    expect(log).toEqual(['a.onRunEnd', 'b.onRunEnd', 'c.onRunEnd']);
  });

  it('calls a class-based reporter’s methods on the reporter', () => {
    class Counting implements Reporter {
      ends = 0;
      onRunEnd(): void {
        this.ends++;
      }
    }
    const counting = new Counting();
    combineReporters([counting]).onRunEnd?.(report);
    expect(counting.ends).toBe(1);
  });
});

describe('reportToFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rh-report-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the output in memory while the run goes and writes the file, folders and all, when it ends', () => {
    const path = join(dir, 'nested', 'deeper', 'out.txt');
    const reporter = reportToFile(path, (out) => ({
      onScenarioEnd: (s) => void out.write(`ended ${s.name}\n`),
      onRunEnd: () => void out.write('done\n'),
    }));
    reporter.onScenarioEnd?.(report.scenarios[0]!);
    expect(existsSync(path)).toBe(false);
    reporter.onRunEnd?.(report);
    expect(readFileSync(path, 'utf8')).toBe('ended a scenario\ndone\n');
    expect(readdirSync(join(dir, 'nested', 'deeper'))).toEqual(['out.txt']); // no temporary file left
  });

  it('replaces an existing file whole', () => {
    const path = join(dir, 'replace.txt');
    writeFileSync(path, 'old and much longer content\n');
    writeTextAtomically(path, 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
  });

  it('says which file it could not write, as a bad option, and leaves no temporary file', () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    const path = join(blocker, 'out.xml');
    let error: unknown;
    try {
      writeTextAtomically(path, 'x');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RaceHuntError);
    expect((error as RaceHuntError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(new RegExp(`^could not write the report file ${path}: E[A-Z]+: .*choose another path\\.$`));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
