import { explore } from '../api/explore.js';
import { displayPath } from '../core/display-path.js';
import type { ScenarioReport } from '../core/report.js';
import { shellQuote } from '../core/replay-command.js';
import type { Scenario } from '../core/scenario.js';
import { isScenario } from '../core/scenario.js';
import { reportText } from './report-text.js';
import type { ScenarioTestOptions, TestMode } from './test-budget.js';
import { budgetFor, testMode } from './test-budget.js';
import { escapeRegExp } from '../core/escape-regexp.js';
import { countOf } from '../core/count.js';

/** The part of vitest's matcher context the matchers read. */
export interface MatcherContext {
  readonly isNot: boolean;
  readonly currentTestName?: string | undefined;
  readonly testPath?: string | undefined;
}

export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/**
 * `toHaveNoRaces(options?)`: explores the scenario (in the mode of this test run) and passes
 * when no schedule failed; its failure message is the trace as `race-hunt run` prints it, with
 * the command that replays it. `toFindRace(options?)`: passes when a schedule fails, for a
 * regression test of a scenario known to be buggy. A scenario that cannot run (its setup
 * throws, a replay diverges) fails either, `.not` or not.
 */
export function raceHuntMatchers(configuredMode: TestMode | undefined) {
  return {
    async toHaveNoRaces(this: MatcherContext, received: unknown, options: ScenarioTestOptions = {}): Promise<MatcherResult> {
      const { report, mode, cwd } = await exploreInTest(this, received, options, configuredMode, 'toHaveNoRaces');
      return {
        pass: report.status === 'pass',
        message: () =>
          report.status === 'pass'
            ? `expected a race in "${report.name}", but ${explored(report, mode)} found none`
            : `race-hunt found a race in "${report.name}" (${explored(report, mode)}):\n\n${reportText(report, cwd)}`,
      };
    },
    async toFindRace(this: MatcherContext, received: unknown, options: ScenarioTestOptions = {}): Promise<MatcherResult> {
      const { report, mode, cwd } = await exploreInTest(this, received, options, configuredMode, 'toFindRace');
      return {
        pass: report.status === 'fail',
        message: () =>
          report.status === 'fail'
            ? `expected no race in "${report.name}", but race-hunt found one:\n\n${reportText(report, cwd)}`
            : `expected race-hunt to find a race in "${report.name}", but ${explored(report, mode)} found none:\n\n${reportText(report, cwd)}`,
      };
    },
  };
}

async function exploreInTest(
  context: MatcherContext,
  received: unknown,
  options: ScenarioTestOptions,
  configuredMode: TestMode | undefined,
  matcher: string,
): Promise<{ report: ScenarioReport; mode: TestMode; cwd: string }> {
  if (!isScenario(received)) {
    throw new TypeError(`expect(…).${matcher}() takes the object scenario() returns; got ${received === null ? 'null' : typeof received}.`);
  }
  const scenario = received as Scenario;
  const mode = testMode(process.env, configuredMode);
  const cwd = options.cwd ?? process.cwd();
  const testFile = context.testPath;
  const corpus = options.corpus ?? true;
  const report = await explore(scenario, {
    ...budgetFor(mode, scenario.name, options, process.env),
    ...(testFile === undefined || !corpus ? {} : { replayCommandOf: () => vitestCommand(displayPath(testFile, cwd), context.currentTestName) }),
  });
  if (report.status === 'error') throw new Error(`race-hunt could not explore "${scenario.name}": ${report.error ?? 'an unknown error'}`);
  return { report, mode, cwd };
}

/** "200 runs of the regression mode (seed 123)". */
function explored(report: ScenarioReport, mode: TestMode): string {
  return `${countOf(report.runs, 'run')} in the ${mode} mode`;
}

/**
 * The command that runs this test again; its saved failure replays first. vitest's `-t` takes a
 * pattern matched against the test's full name (its suites' names and its own, joined by spaces).
 */
function vitestCommand(testFile: string, testName: string | undefined): string {
  const words = ['npx', 'vitest', 'run', shellQuote(testFile)];
  if (testName !== undefined && testName !== '') {
    words.push('-t', shellQuote(`^${escapeRegExp(testName.split(' > ').join(' '))}$`));
  }
  return words.join(' ');
}
