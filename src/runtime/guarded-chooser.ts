import type { Chooser } from '../core/strategy.js';
import { ScheduleDivergence } from '../core/strategy.js';

/**
 * Stops a run whose strategy failed. The execution ends a run on a `ScheduleDivergence` from
 * its chooser (in `choose` and `finish`), the one way a chooser can stop it; the run's
 * caller reads the recorded failure, never this divergence.
 */
class StrategyFailed extends ScheduleDivergence {
  constructor() {
    super(0, 'the strategy failed');
  }
}

/**
 * Wraps a strategy's chooser so that an exception from it (race-hunt's own code) is handed
 * to `onFailure` and stops the run, rather than escaping into the scheduler's callbacks,
 * where it would surface as an unhandled rejection: a finding blamed on the user's code.
 * A divergence is the replay's verdict, not a failure, and passes through.
 */
export function guardChooser(chooser: Chooser, onFailure: (error: unknown) => void): Chooser {
  let failed = false;
  const fail = (error: unknown): void => {
    if (error instanceof ScheduleDivergence) throw error;
    failed = true;
    onFailure(error);
  };
  const guarded: Chooser = {
    choose(options, decision, previous) {
      if (failed) throw new StrategyFailed();
      try {
        return chooser.choose(options, decision, previous);
      } catch (error) {
        fail(error);
        throw new StrategyFailed();
      }
    },
    finish(decisionsMade) {
      if (failed || chooser.finish === undefined) return;
      try {
        chooser.finish(decisionsMade);
      } catch (error) {
        fail(error);
        throw new StrategyFailed();
      }
    },
  };
  // Only what the chooser has: the execution records steps only for a chooser with `stepped`.
  // Both are called where nothing may throw: after a failure they do nothing (the phase has ended).
  if (chooser.observe !== undefined) {
    guarded.observe = (performed) => {
      if (failed) return;
      try {
        chooser.observe!(performed);
      } catch (error) {
        fail(error);
      }
    };
  }
  if (chooser.stepped !== undefined) {
    guarded.stepped = (event) => {
      if (failed) return;
      try {
        chooser.stepped!(event);
      } catch (error) {
        fail(error);
      }
    };
  }
  return guarded;
}
