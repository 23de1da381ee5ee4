/**
 * What the module hooks tell the main thread about the modules they saw load: which files they
 * instrumented, which they meant to but could not (and why), and which `node_modules` packages
 * were loaded (and whether `--instrument` named them). The ES module hooks run in Node's loader
 * thread and post these on a `MessagePort`; the CommonJS hook runs in the main thread and hands
 * them over directly. The main thread keeps them in `loaded-modules.ts`.
 */
import type { MessagePort } from 'node:worker_threads';
import type { InstrumentDecision } from './instrument-policy.js';

export type ModuleOutcome =
  /** The file's awaits go through race-hunt's gate. */
  | { readonly kind: 'instrumented'; readonly file: string }
  /** The policy wanted the file instrumented, but it runs as it is: `reason` says why, for a person. */
  | { readonly kind: 'refused'; readonly file: string; readonly reason: string }
  /** A package under `node_modules` was loaded (reported once per package and thread). */
  | { readonly kind: 'package'; readonly root: string; readonly folder: string; readonly name: string; readonly included: boolean };

/** Hears outcomes: a `MessagePort`'s `postMessage` in the loader thread, the registry in the main thread. */
export type OutcomeSink = (outcome: ModuleOutcome) => void;

/**
 * Reports the packages a thread sees, each once, whatever else it reports: most modules loaded
 * are dependencies, and one message per package keeps the channel quiet.
 */
export class OutcomeReporter {
  private readonly packagesSeen = new Set<string>();

  constructor(private readonly sink: OutcomeSink) {}

  /** From a loader thread: outcomes go to `port` (none when race-hunt passed no port). */
  static overPort(port: MessagePort | undefined): OutcomeReporter {
    return new OutcomeReporter(port === undefined ? () => {} : (outcome) => port.postMessage(outcome));
  }

  /** The policy's decision about a module: its package, the first time that package is seen. */
  decided(decision: InstrumentDecision): void {
    const pkg = decision.package;
    if (pkg === undefined || this.packagesSeen.has(pkg.root)) return;
    this.packagesSeen.add(pkg.root);
    this.sink({ kind: 'package', root: pkg.root, folder: pkg.folder, name: pkg.name, included: decision.instrument });
  }

  instrumented(file: string): void {
    this.sink({ kind: 'instrumented', file });
  }

  refused(file: string, reason: string): void {
    this.sink({ kind: 'refused', file, reason });
  }
}

/** A person's reason for an instrumenter that threw on a file (race-hunt's bug, not the user's). */
export function instrumenterFailed(error: unknown): string {
  return `race-hunt's instrumenter failed on it (${error instanceof Error ? error.message : String(error)})`;
}
