import type { Rng } from '../core/rng.js';

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
export function drawChangePoints(rng: Rng, estimate: number, depth: number): Map<number, number> {
  const points = new Map<number, number>();
  for (let i = 1; i < depth; i++) {
    let point = drawChangePoint(rng, estimate);
    while (points.has(point)) point = (point + 1) % Math.max(estimate, depth);
    points.set(point, i);
  }
  return points;
}

/** The PCT estimate of a run's length k: the most decisions any run so far has made. */
export class RunLength {
  private estimate = INITIAL_ESTIMATE;
  private last: { decisions: number } | undefined;

  /** The estimate, refined by the run handed out last. */
  current(): number {
    if (this.last !== undefined) this.estimate = Math.max(this.estimate, this.last.decisions);
    return this.estimate;
  }

  /** Watches `chooser`'s `decisions` (updated as it chooses) for the next estimate. */
  track(chooser: { decisions: number }): void {
    this.last = chooser;
  }
}

export function checkDepth(depth: number): void {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError('PCT depth must be a whole number ≥ 1');
}
