import { describe, expect, it } from 'vitest';
import { RaceHuntError } from '../../src/core/errors.js';
import type { ReporterOptionValues } from '../../src/cli/reporters-option.js';
import { chooseReporters } from '../../src/cli/reporters-option.js';

/** The message of the error chooseReporters throws, failing if it does not. */
function refusal(values: ReporterOptionValues): string {
  try {
    chooseReporters(values);
  } catch (error) {
    expect(error).toBeInstanceOf(RaceHuntError);
    expect((error as RaceHuntError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(values)}`);
}

describe('chooseReporters', () => {
  it('is the terminal on stdout when nothing is named', () => {
    expect(chooseReporters({})).toEqual([{ name: 'terminal' }]);
    expect(chooseReporters({ reporter: [], outputFile: [] })).toEqual([{ name: 'terminal' }]);
  });

  it('takes repeated names and comma lists, in order, each once; --json is json', () => {
    expect(chooseReporters({ reporter: ['terminal,junit', 'github', 'junit'], outputFile: ['junit=r.xml'] })).toEqual([
      { name: 'terminal' },
      { name: 'junit', outputFile: 'r.xml' },
      { name: 'github' },
    ]);
    expect(chooseReporters({ json: true })).toEqual([{ name: 'json' }]);
    expect(chooseReporters({ json: true, reporter: ['json'] })).toEqual([{ name: 'json' }]);
    expect(chooseReporters({ json: true, reporter: ['junit'], outputFile: ['junit=out/r.xml'] })).toEqual([{ name: 'junit', outputFile: 'out/r.xml' }, { name: 'json' }]);
  });

  it('lets the terminal and GitHub’s line commands share stdout, as they share a CI log', () => {
    expect(chooseReporters({ reporter: ['terminal,github'] })).toEqual([{ name: 'terminal' }, { name: 'github' }]);
  });

  it('refuses two reporters on stdout when one writes a document, and names the file option that fixes it', () => {
    expect(refusal({ reporter: ['json,junit'] })).toBe(
      'the json and junit reporters would both write to stdout, where the JUnit XML document would be mixed with the json output and no tool could read it. Send it to a file instead, e.g. --output-file junit=report.xml.',
    );
    expect(refusal({ reporter: ['terminal'], json: true })).toMatch(/the terminal and json reporters would both write to stdout.* --output-file json=report\.json\.$/);
    expect(refusal({ reporter: ['terminal,github,junit'] })).toMatch(/would all write to stdout, where the JUnit XML document would be mixed with the terminal and github output/);
    // Once the document has a file, the rest may share stdout.
    expect(chooseReporters({ reporter: ['json', 'junit'], outputFile: ['junit=report.xml'] })).toEqual([{ name: 'json' }, { name: 'junit', outputFile: 'report.xml' }]);
  });

  it('refuses an unknown reporter, listing the known ones', () => {
    expect(refusal({ reporter: ['terminal,xml'] })).toBe('--reporter takes terminal, json, junit, github (repeated, or as a comma list such as --reporter terminal,junit); got "xml".');
    expect(refusal({ reporter: [''] })).toMatch(/got ""\.$/);
  });

  it('refuses an --output-file that is malformed, names an unselected reporter, repeats one, or shares a path', () => {
    expect(refusal({ reporter: ['junit'], outputFile: ['report.xml'] })).toMatch(/^--output-file takes <reporter>=<path>.*got "report\.xml"\.$/);
    expect(refusal({ reporter: ['junit'], outputFile: ['junit='] })).toMatch(/^--output-file takes <reporter>=<path>/);
    expect(refusal({ reporter: ['junit'], outputFile: ['xunit=r.xml'] })).toMatch(/^--output-file takes <reporter>=<path>, the reporter one of terminal, json, junit, github/);
    expect(refusal({ outputFile: ['junit=r.xml'] })).toBe(
      '--output-file junit=r.xml names the junit reporter, which is not selected (selected: terminal). Add --reporter junit, or leave that --output-file out.',
    );
    expect(refusal({ reporter: ['junit'], outputFile: ['junit=a.xml', 'junit=b.xml'] })).toBe('--output-file names the junit reporter twice (a.xml and b.xml); give each reporter one file.');
    expect(refusal({ reporter: ['json,junit'], outputFile: ['json=out/r', 'junit=./out/r'] })).toBe(
      '--output-file sends both json and junit to ./out/r, where one would overwrite the other; give each reporter its own file.',
    );
  });

  it('keeps = signs after the first in the path', () => {
    expect(chooseReporters({ reporter: ['junit'], outputFile: ['junit=out/a=b.xml'] })).toEqual([{ name: 'junit', outputFile: 'out/a=b.xml' }]);
  });
});
