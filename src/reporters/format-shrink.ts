import { countOf as plural, formatDuration } from './format-trace.js';

/** What shrinking did to a failure and what it proved, as the reporters word it. */
export interface ShrinkFacts {
  readonly from: { readonly steps: number; readonly preemptions: number };
  readonly to: { readonly steps: number; readonly preemptions: number };
  /** Proven: no schedule with fewer preemptions fails this way. */
  readonly minimal: boolean;
  /** Proven as well: none with as many preemptions and fewer steps (absent in files saved before it was searched). */
  readonly minimalSteps?: boolean;
  /** The time budget ended the search before its proofs. */
  readonly cutShort: boolean;
  readonly runs?: number;
  readonly durationMs?: number;
  /** `--shrink-time`, to name it when it ran out. */
  readonly budgetMs?: number;
}

/**
 * "shrunk from 13 steps / 7 preemptions to 4 steps / 1 preemption (318 runs in 1.2s) — minimal: …".
 * Claims "minimal" only for what was proven, and says what stopped a proof.
 */
export function shrinkSentence(f: ShrinkFacts): string {
  const changed = f.from.steps !== f.to.steps || f.from.preemptions !== f.to.preemptions;
  const head = changed
    ? `shrunk from ${plural(f.from.steps, 'step')} / ${plural(f.from.preemptions, 'preemption')} to ${plural(f.to.steps, 'step')} / ${plural(f.to.preemptions, 'preemption')}`
    : 'not shrunk';
  const timing = f.runs === undefined ? '' : ` (${plural(f.runs, 'run')}${f.durationMs === undefined ? '' : ` in ${formatDuration(f.durationMs)}`})`;
  const why = f.cutShort
    ? `${f.budgetMs === undefined ? 'the time budget' : `its ${formatDuration(f.budgetMs)} budget`} ran out (raise --shrink-time)`
    : 'the search could not cover every schedule, as runs did not repeat their schedules';
  let proof: string;
  if (f.minimal && f.minimalSteps === true) {
    proof = `minimal: no schedule with fewer preemptions fails this way, nor one with ${plural(f.to.preemptions, 'preemption')} and fewer steps`;
  } else if (f.minimal) {
    proof = `fewest preemptions: no schedule with fewer fails this way; ${f.minimalSteps === undefined ? 'fewer steps were not searched' : `fewer steps not ruled out: ${why}`}`;
  } else {
    proof = `${changed ? 'not proven minimal' : 'no smaller failing schedule was found, and none ruled out'}: ${why}`;
  }
  return `${head}${timing} — ${proof}`;
}
