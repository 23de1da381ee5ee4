import { scenario } from 'race-hunt';
import type { CheckResult, Scenario } from 'race-hunt';
import { Latch } from './latch.js';
import { yieldPoint } from './yield-point.js';

/**
 * pthread_create / pthread_join for ported C programs.
 *
 * Every pthread of the original becomes a named race-hunt task, so that it is a scheduling
 * entity of its own (PCT gives it its own priority; dfs and delay bounding count switches
 * between it and the others) — exactly as each pthread is for the SCT tools of SCTBench.
 * A worker task starts blocked and runs only once the `main` task has created it; `main`
 * creates the threads one by one, in the original's order, with a scheduling point after
 * each creation, so that threads created early may run before later ones exist (the order
 * in which a C main creates its threads shapes which schedules are likely).
 * (Spawning the workers from `main` with fire-and-forget calls would make them part of the
 * `main` task: one entity for every strategy.)
 */
export class Threads {
  readonly #created = new Map<string, Latch>();
  readonly #exited = new Map<string, Latch>();

  constructor(names: readonly string[]) {
    for (const name of names) {
      this.#created.set(name, new Latch());
      this.#exited.set(name, new Latch());
    }
  }

  /** pthread_create: `name` may run from now on. Returns the scheduling point after the call. */
  create(name: string): Promise<void> {
    this.#latch(this.#created, name).open();
    return yieldPoint();
  }

  /** pthread_join: blocks until `name` has returned. */
  join(name: string): Promise<void> {
    return this.#latch(this.#exited, name).wait();
  }

  /**
   * The body of thread `name`: waits to be created (unless it already is: the step that
   * starts the task is then the scheduling point before its first operation), then runs
   * `body`; marks the thread exited when it returns.
   */
  async run(name: string, body: () => Promise<void>): Promise<void> {
    const created = this.#latch(this.#created, name);
    if (!created.isOpen) await created.wait();
    const done = body();
    const exit = (): void => this.#latch(this.#exited, name).open();
    // The latch opens as the body ends, in the same step: a thread's exit is no scheduling
    // point of its own, as in the C originals. (A `.then` written as a method call would be gated
    // by race-hunt; called through `Promise.prototype.then.call`, it is left as it is.)
    Promise.prototype.then.call(done, exit, exit);
    return done;
  }

  #latch(map: Map<string, Latch>, name: string): Latch {
    const latch = map.get(name);
    if (latch === undefined) throw new Error(`no thread named ${name}`);
    return latch;
  }
}

/** A ported C program: the globals, `main`, and the thread functions by thread name. */
export interface Program<G> {
  /** The globals, initialised as before `main` runs. */
  readonly globals: () => G;
  /** The C `main`: creates the threads (`pthread.create`) and joins them; may run code of its own. */
  readonly main: (g: G, pthread: Threads) => Promise<void>;
  /** Each thread the program creates, by name, with the function it runs. */
  readonly threads: Readonly<Record<string, (g: G) => Promise<void>>>;
  /** A check of the globals once everything has returned (most programs assert inside a thread instead). */
  readonly invariant?: (g: G) => CheckResult;
}

export interface ProgramState<G> {
  readonly g: G;
  readonly pthread: Threads;
}

/** The scenario that runs `program`: task `main` plus one task per thread. */
export function program<G>(name: string, p: Program<G>): Scenario<ProgramState<G>> {
  const names = Object.keys(p.threads);
  const tasks: Record<string, (state: ProgramState<G>) => Promise<void>> = {
    main: ({ g, pthread }) => p.main(g, pthread),
  };
  for (const thread of names) {
    if (thread === 'main') throw new Error('a thread may not be called main');
    const body = p.threads[thread]!;
    tasks[thread] = ({ g, pthread }) => pthread.run(thread, () => body(g));
  }
  const invariant = p.invariant;
  return scenario(name, {
    setup: () => ({ g: p.globals(), pthread: new Threads(names) }),
    tasks,
    ...(invariant === undefined ? {} : { invariant: ({ g }: ProgramState<G>) => invariant(g) }),
  });
}
