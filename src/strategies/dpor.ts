import type { FootprintIndex } from '../core/footprint.js';
import { FootprintHistory, indexesConflict, indexFootprint } from '../core/footprint.js';
import type { BoundedStrategy, SearchVerdict } from './bounded-search.js';
import { continuationIndex } from '../core/entity.js';
import type { Chooser, RunPlan, StepEvent } from '../core/strategy.js';

/** One decision of the current path through the tree of schedules. */
interface Frame {
  /** Seqs of the options ready here, in canonical order. */
  readonly seqs: readonly number[];
  /** Options this decision must try (Source-DPOR's backtrack set); `done` ⊆ `backtrack`. */
  readonly backtrack: Set<number>;
  readonly done: Set<number>;
  /** The option the current path takes. */
  chosen: number;
}

/** What one execution reported. */
interface Run {
  readonly events: StepEvent[];
  /** Decisions made, and how many of the steps reported so far were decisions. */
  decisions: number;
  decided: number;
  /** The first decision whose choice differs from the run before: races that end earlier were analysed then. */
  firstNew: number;
}

/**
 * Happens-before over one execution's steps, as a bit matrix: row j holds every i < j with
 * e_i → e_j. Rows are built in order, each from the rows before it (O(n²/32) words).
 */
class HappensBefore {
  readonly words: number;
  readonly bits: Uint32Array;
  private readonly afterRows = new Map<number, Uint32Array>();

  constructor(readonly size: number) {
    this.words = (size + 31) >>> 5;
    this.bits = new Uint32Array(size * this.words);
  }

  has(j: number, i: number): boolean {
    return (this.bits[j * this.words + (i >>> 5)]! & (1 << (i & 31))) !== 0;
  }

  /** Records e_i → e_j, with everything before e_i. */
  add(j: number, i: number): void {
    const to = j * this.words;
    const from = i * this.words;
    const last = i >>> 5;
    for (let w = 0; w <= last; w++) this.bits[to + w]! |= this.bits[from + w]!;
    this.bits[to + last]! |= 1 << (i & 31);
  }

  /** The steps that happen after e_i, as a bit set (a column of the matrix, kept once asked for). */
  after(i: number): Uint32Array {
    let out = this.afterRows.get(i);
    if (out !== undefined) return out;
    out = new Uint32Array(this.words);
    for (let k = i + 1; k < this.size; k++) if (this.has(k, i)) out[k >>> 5]! |= 1 << (k & 31);
    this.afterRows.set(i, out);
    return out;
  }

  /** Is some m in [lo, hi) with e_m → e_k and m not in `excluded`? */
  someBefore(k: number, excluded: Uint32Array, lo: number, hi: number): boolean {
    if (lo >= hi) return false;
    const row = k * this.words;
    const first = lo >>> 5;
    const last = (hi - 1) >>> 5;
    for (let w = first; w <= last; w++) {
      let mask = ~excluded[w]!;
      if (w === first) mask &= ~0 << (lo & 31);
      if (w === last) mask &= ~0 >>> (31 - ((hi - 1) & 31));
      if ((this.bits[row + w]! & mask) !== 0) return true;
    }
    return false;
  }
}

/**
 * Happens-before of an execution: the transitive closure of the causal edges (createdBy,
 * readiedBy) and of i → j for i < j whose footprints conflict. Returns it with the races
 * e_i ⊲ e_j for j ≥ `from`: conflicting, j not made to exist or ready by i, and nothing
 * ordered between them. Each step is compared only with the earlier steps that touched what
 * it touches, latest first, skipping those already ordered before it through a later one.
 */
function happensBefore(events: readonly StepEvent[], from: number): { hb: HappensBefore; races: number[] } {
  const hb = new HappensBefore(events.length);
  const footprints: FootprintIndex[] = events.map((e) => indexFootprint(e.footprint));
  const history = new FootprintHistory();
  const races: number[] = [];
  const seenFor = new Int32Array(events.length).fill(-1);
  const candidates: number[] = [];
  let j = 0;
  const visit = (i: number): void => {
    if (i < 0 || seenFor[i] === j) return;
    seenFor[i] = j;
    candidates.push(i);
  };
  for (; j < events.length; j++) {
    const { createdBy, readiedBy } = events[j]!;
    candidates.length = 0;
    visit(createdBy);
    visit(readiedBy);
    history.candidates(footprints[j]!, visit);
    candidates.sort((a, b) => b - a);
    for (const i of candidates) {
      if (hb.has(j, i)) continue;
      const causal = i === createdBy || i === readiedBy;
      if (!causal && !indexesConflict(footprints[i]!, footprints[j]!)) continue;
      hb.add(j, i);
      if (!causal && j >= from) races.push(i, j);
    }
    history.add(footprints[j]!);
  }
  return { hb, races };
}

/**
 * The options among `seqs` (those ready at e_i's decision) that could start a reversal of the
 * race e_i ⊲ e_j: Source-DPOR's initials of v = notdep(e_i)·e_j (the steps between them not
 * after e_i, then e_j), the steps of v with nothing of v before them.
 */
function initials(hb: HappensBefore, stepOf: ReadonlyMap<number, number>, seqs: readonly number[], i: number, j: number): number[] {
  const afterI = hb.after(i);
  const out: number[] = [];
  for (const seq of seqs) {
    const k = stepOf.get(seq);
    if (k === undefined || k <= i || k > j) continue;
    const inV = k === j || (afterI[k >>> 5]! & (1 << (k & 31))) === 0;
    if (inV && !hb.someBefore(k, afterI, i + 1, k)) out.push(seq);
  }
  return out;
}

/** The index of the first step at which two runs ran different options, looking at the first `upTo`. */
function firstDifference(a: readonly StepEvent[], b: readonly StepEvent[], upTo: number): number {
  for (let i = 0; i < upTo; i++) if (a[i]?.option.seq !== b[i]?.option.seq) return i;
  return upTo;
}

function sameSeqs(seqs: readonly number[], options: readonly { readonly seq: number }[]): boolean {
  return seqs.length === options.length && seqs.every((seq, i) => seq === options[i]!.seq);
}

/**
 * Dynamic partial-order reduction: an exhaustive search with no bound that runs at least one
 * schedule of every Mazurkiewicz trace (schedules equal up to swapping adjacent independent
 * steps). Source-DPOR (Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic partial order
 * reduction", POPL 2014, Algorithm 1) without sleep sets: those compare steps across
 * executions, and object identities in footprints hold only within one.
 *
 * Stateless: each run replays a prefix of decisions (by option seq, stable for a given
 * prefix) and then continues the previous step's task where it can. After a run, every race
 * in it — two conflicting steps with nothing ordered between them, the later one not made
 * to exist or ready by the earlier — adds to the decision before the earlier step an option
 * that starts a reversal (an initial of notdep(e_i)·e_j); the next run backtracks at the
 * deepest decision with an option left to try.
 *
 * The "processes" of DPOR are options: an option runs exactly one step, and the options a
 * step creates or readies happen after it (causal edges), so a task's continuations form a
 * tree, not a chain. Two ready options of one task (the branches of a Promise.all) race like
 * any others. Where no initial is ready at the decision (e_i was forced, or what would go
 * first is not offered there, as a timer in strict mode is not), it falls back to trying
 * every option at the nearest decision at or before e_i (Flanagan, Godefroid, POPL 2005).
 *
 * The verdict is exhaustive only if the search finished and every run followed its prefix.
 */
export function dporStrategy(seed: number): BoundedStrategy {
  const name = 'dpor';
  const stack: Frame[] = [];
  /** The run handed out last (analysed when the next is asked for), and the one before it. */
  let last: Run | undefined;
  let previousRun: Run | undefined;
  let finished = false;
  let nondeterministic = false;
  let runs = 0;

  const diverged = (decision: number): void => {
    nondeterministic = true;
    stack.length = decision;
  };

  const tryAll = (frame: Frame | undefined): void => {
    if (frame !== undefined) for (const seq of frame.seqs) frame.backtrack.add(seq);
  };

  /** The decision frame nearest before step `i`, if any. */
  const frameBefore = (events: readonly StepEvent[], i: number): Frame | undefined => {
    for (let k = i - 1; k >= 0; k--) if (events[k]!.decision >= 0) return stack[events[k]!.decision];
    return undefined;
  };

  /** Analyses a finished run and adds to the backtrack sets what its races need. */
  const analyse = (run: Run, previous: Run | undefined): void => {
    const { events } = run;
    if (run.decided !== run.decisions) {
      throw new Error(`dpor: the run made ${run.decisions} decisions but reported steps for fewer (the runtime must call Chooser.stepped after every step)`);
    }
    if (run.decisions < stack.length) diverged(run.decisions);
    let from = events.findIndex((e) => e.decision >= run.firstNew);
    if (from < 0) from = events.length;
    if (previous !== undefined) {
      const differs = firstDifference(events, previous.events, from);
      if (differs < from) {
        nondeterministic = true;
        from = differs;
      }
    }
    const { hb, races } = happensBefore(events, from);
    const stepOf = new Map(events.map((e, k) => [e.option.seq, k]));
    for (let r = 0; r < races.length; r += 2) {
      const i = races[r]!;
      const decision = events[i]!.decision;
      const frame = decision < 0 ? undefined : stack[decision];
      if (frame === undefined) {
        tryAll(frameBefore(events, i));
        continue;
      }
      const candidates = initials(hb, stepOf, frame.seqs, i, races[r + 1]!);
      if (candidates.length === 0) tryAll(frame);
      else if (!candidates.some((seq) => frame.backtrack.has(seq))) frame.backtrack.add(Math.min(...candidates));
    }
  };

  /** Moves the path to the deepest decision with an option left to try: its depth, or undefined when none is left. */
  const backtrack = (): number | undefined => {
    for (let d = stack.length - 1; d >= 0; d--) {
      const frame = stack[d]!;
      const left = frame.seqs.filter((seq) => frame.backtrack.has(seq) && !frame.done.has(seq));
      if (left.length === 0) continue;
      stack.length = d + 1;
      frame.chosen = Math.min(...left);
      frame.done.add(frame.chosen);
      return d;
    }
    return undefined;
  };

  const makeChooser = (run: Run): Chooser => ({
    choose(options, decision, previous) {
      run.decisions = decision + 1;
      const frame = stack[decision];
      if (frame !== undefined && sameSeqs(frame.seqs, options)) return options.findIndex((o) => o.seq === frame.chosen);
      if (frame !== undefined) {
        diverged(decision);
        run.firstNew = Math.min(run.firstNew, decision);
      }
      const continuing = continuationIndex(options, previous);
      const index = continuing < 0 ? 0 : continuing;
      const seq = options[index]!.seq;
      stack.push({ seqs: options.map((o) => o.seq), backtrack: new Set([seq]), done: new Set([seq]), chosen: seq });
      return index;
    },
    stepped(event) {
      const step = run.events.length;
      if (event.createdBy >= step || event.readiedBy >= step) {
        throw new Error(`dpor: step ${step} is reported as made by a later step (createdBy ${event.createdBy}, readiedBy ${event.readiedBy})`);
      }
      if (event.decision >= 0 && event.decision !== run.decided++) {
        throw new Error(`dpor: step ${step} is reported as decision ${event.decision}, expected ${run.decided - 1}`);
      }
      run.events.push(event);
    },
  });

  return {
    name,
    nextRun(): RunPlan | undefined {
      if (finished) return undefined;
      let firstNew = 0;
      if (last !== undefined) {
        analyse(last, previousRun);
        const at = backtrack();
        if (at === undefined) {
          finished = true;
          return undefined;
        }
        firstNew = at;
      }
      previousRun = last;
      last = { events: [], decisions: 0, decided: 0, firstNew };
      runs++;
      return { seed, chooser: makeChooser(last), strategy: name };
    },
    verdict(): SearchVerdict {
      const exhaustive = finished && !nondeterministic;
      return { strategy: name, unit: 'traces', bound: 0, exhaustive, completedBound: exhaustive ? 0 : -1, completedSchedules: runs, unbounded: true, seed };
    },
  };
}
