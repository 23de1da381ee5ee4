import { countOf } from '../core/count.js';
import type { Schedule } from '../core/schedule.js';
import type { Chooser, RunPlan, Strategy } from '../core/strategy.js';
import { ScheduleDivergence } from '../core/strategy.js';

/** Makes a chooser that follows a recorded schedule and reports where a run stops following it. */
export function replayChooser(schedule: Schedule): Chooser {
  return {
    choose(options, decision) {
      const recorded = schedule.decisions[decision];
      if (recorded === undefined) {
        throw new ScheduleDivergence(
          decision + 1,
          `the schedule has ${countOf(schedule.decisions.length, 'decision')} but the run reached decision ${decision + 1} (${countOf(options.length, 'option')} ready)`,
        );
      }
      if (recorded.of !== options.length) {
        throw new ScheduleDivergence(
          decision + 1,
          `at decision ${decision + 1} the schedule expects ${recorded.of} ready options but the run has ${options.length}`,
        );
      }
      return recorded.choice;
    },
    finish(decisionsMade) {
      if (decisionsMade < schedule.decisions.length) {
        throw new ScheduleDivergence(
          decisionsMade + 1,
          `the run ended after ${countOf(decisionsMade, 'decision')} but the schedule has ${schedule.decisions.length}`,
        );
      }
    },
  };
}

/** Replays one schedule once: a strategy with a single run. */
export function replayStrategy(schedule: Schedule): Strategy {
  let used = false;
  return {
    name: 'replay',
    nextRun(): RunPlan | undefined {
      if (used) return undefined;
      used = true;
      return { seed: schedule.seed, ...(schedule.input === undefined ? {} : { input: schedule.input }), chooser: replayChooser(schedule), strategy: 'replay' };
    },
  };
}
