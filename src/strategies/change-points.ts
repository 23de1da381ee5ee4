import { epochInput } from '../core/run-input.js';
import type { Rng } from '../core/rng.js';
import { createRng, deriveSeed } from '../core/rng.js';
import type { ChoiceOption } from '../core/step.js';
import type { Chooser, RunPlan, Strategy } from '../core/strategy.js';

/** How many decisions a run is assumed to have before any run has been seen. */
const INITIAL_ESTIMATE = 32;

/**
 * Draws a change point in [0, k). Half are uniform, as in the PCT paper; half log-uniform,
 * which favours early decisions: bugs where one task must be preempted early while many
 * others stay idle (twostage with ~100 writers) need a change point within the first few
 * decisions, which a uniform draw over a long run almost never gives. Costs at most a
 * factor of two on the paper's bound.
 */
function drawChangePoint(rng: Rng, k: number): number {
  if (rng.nextU32() & 1) return rng.nextInt(k);
  return Math.min(k - 1, Math.floor(Math.exp(rng.nextFloat() * Math.log(k + 1))) - 1);
}

/** `depth - 1` distinct change points over `estimate` decisions: decision → i (1-based), the priority it lowers to. */
function drawChangePoints(rng: Rng, estimate: number, depth: number): Map<number, number> {
  const points = new Map<number, number>();
  for (let i = 1; i < depth; i++) {
    let point = drawChangePoint(rng, estimate);
    while (points.has(point)) point = (point + 1) % Math.max(estimate, depth);
    points.set(point, i);
  }
  return points;
}

/**
 * The PCT estimate of a run's length k: the most decisions any calibration run made. Fixed
 * once calibration ends, so that a run's plan depends only on its index (see `RunSplit`).
 */
class RunLength {
  private estimate = INITIAL_ESTIMATE;
  private frozen = false;

  current(): number {
    return this.estimate;
  }

  observe(decisions: number): void {
    if (!this.frozen) this.estimate = Math.max(this.estimate, decisions);
  }

  freeze(): void {
    this.frozen = true;
  }
}

function checkDepth(depth: number): void {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError('PCT depth must be a whole number ≥ 1');
}

/** Random priorities, each at least `depth` (above every change point's), drawn per key on first use. */
export class Priorities {
  private readonly values = new Map<number, number>();

  constructor(
    private readonly rng: Rng,
    private readonly depth: number,
  ) {}

  of(key: number): number {
    let p = this.values.get(key);
    if (p === undefined) {
      p = this.depth + this.rng.nextFloat();
      this.values.set(key, p);
    }
    return p;
  }

  /** A change point: `key` drops to `priority`, below every initial priority. */
  lower(key: number, priority: number): void {
    this.values.set(key, priority);
  }
}

/** How one run of a priority strategy ranks the ready options. */
export interface PriorityRule {
  /** The index of the option to run. */
  best(options: readonly ChoiceOption[]): number;
  /** At the i-th change point: drop what `option` is ranked by to priority i. */
  lower(option: ChoiceOption, priority: number): void;
}

/**
 * The frame PCT and its variants share: per run, `depth - 1` change points over the estimated
 * run length (drawn first from the run's generator, stream `stream` of its seed), then a rule
 * from `ruleFor`, which makes its priorities with `priorities()`; at each decision the rule's
 * best option runs, lowered first if the decision is a change point.
 */
export function priorityStrategy(
  name: string,
  seed: number,
  depth: number,
  stream: number,
  ruleFor: (priorities: () => Priorities) => PriorityRule,
): Strategy {
  checkDepth(depth);
  let run = 0;
  const runLength = new RunLength();
  return {
    name,
    nextRun(): RunPlan {
      const estimate = runLength.current();
      // A scenario with an input runs the epoch's input (ignored without one).
      const input = epochInput(seed, run);
      const runSeed = deriveSeed(seed, run++);
      const rng = createRng(deriveSeed(runSeed, stream));
      const changePoints = drawChangePoints(rng, estimate, depth);
      const rule = ruleFor(() => new Priorities(rng, depth));
      const chooser: Chooser = {
        choose(options, decision) {
          const lowered = changePoints.get(decision);
          if (lowered !== undefined) rule.lower(options[rule.best(options)]!, lowered);
          return rule.best(options);
        },
      };
      return { seed: runSeed, input, chooser, strategy: name };
    },
    split: {
      nextIsSerial: () => false,
      skip: () => {
        run++;
      },
      observe: (decisions) => runLength.observe(decisions),
      freeze: () => runLength.freeze(),
    },
  };
}
