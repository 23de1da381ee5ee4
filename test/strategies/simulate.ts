import type { ChoiceOption } from '../../src/core/step.js';
import type { RunPlan } from '../../src/core/strategy.js';

/**
 * A tiny deterministic program for driving strategies without the runtime: `steps[i]` steps
 * for task i, every task always ready (no blocking), each step a scheduling point. Options are
 * offered sorted by task, as the runtime does. Returns the order in which tasks ran.
 * `siteOf(task, step)` says at which site task's step-th step waits (default: all tasks run
 * the same code, so the site is the step's index).
 */
export function simulate(
  plan: RunPlan,
  steps: readonly number[],
  siteOf: (task: number, step: number) => number = (_task, step) => step,
): { order: number[]; decisions: number } {
  const left = [...steps];
  const order: number[] = [];
  let previous: ChoiceOption | undefined;
  let decisions = 0;
  let seq = 0;
  for (;;) {
    const options: ChoiceOption[] = [];
    left.forEach((n, task) => {
      if (n > 0) options.push({ kind: 'resume', task, seq: seq + task, site: siteOf(task, steps[task]! - n) });
    });
    if (options.length === 0) break;
    let index = 0;
    if (options.length > 1) {
      index = plan.chooser.choose(options, decisions, previous);
      decisions++;
    }
    const chosen = options[index]!;
    left[chosen.task]!--;
    order.push(chosen.task);
    previous = chosen;
    seq += steps.length;
  }
  plan.chooser.finish?.(decisions);
  return { order, decisions };
}

/** Every interleaving of tasks with `steps[i]` steps each, as task orders. */
export function allInterleavings(steps: readonly number[]): number[][] {
  const out: number[][] = [];
  const left = [...steps];
  const order: number[] = [];
  const go = (): void => {
    if (left.every((n) => n === 0)) {
      out.push([...order]);
      return;
    }
    left.forEach((n, task) => {
      if (n === 0) return;
      left[task]!--;
      order.push(task);
      go();
      order.pop();
      left[task]!++;
    });
  };
  go();
  return out;
}

/** Preemptions in an order: switches away from a task that still had steps left. */
export function preemptions(order: readonly number[], steps: readonly number[]): number {
  const left = [...steps];
  let count = 0;
  for (let i = 0; i < order.length; i++) {
    const task = order[i]!;
    if (i > 0 && order[i - 1] !== task && left[order[i - 1]!]! > 0) count++;
    left[task]!--;
  }
  return count;
}
