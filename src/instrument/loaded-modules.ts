import type { MessagePort } from 'node:worker_threads';
import { receiveMessageOnPort } from 'node:worker_threads';
import type { ModuleOutcome } from './module-outcome.js';
import { OutcomeReporter } from './module-outcome.js';

/** A package under `node_modules` that was loaded while race-hunt's hooks were in place. */
export interface LoadedPackage {
  readonly root: string;
  readonly folder: string;
  readonly name: string;
  /** `--instrument` named it (its files were instrumented, unless one was refused). */
  readonly included: boolean;
}

/**
 * The main thread's record of what race-hunt's module hooks saw load (see `module-outcome.ts`):
 * instrumented files, refused files and loaded packages.
 *
 * Why receiving is synchronous: the loader thread posts a module's outcome before it hands the
 * module back, so by the time the module's code runs the message is queued on the port; it is
 * read with `receiveMessageOnPort` when a question comes, never by a listener (which would keep
 * the process alive and run between a run's steps).
 */
class LoadedModules {
  private readonly ports: MessagePort[] = [];
  private readonly instrumented = new Set<string>();
  private readonly refusals = new Map<string, string>();
  private readonly packages = new Map<string, LoadedPackage>();
  /** Packages loaded while race-hunt registered its hooks (tsx's): not the user's. */
  private readonly ownPackages = new Set<string>();
  /** For the CommonJS hook, which runs in this thread. */
  readonly reporter = new OutcomeReporter((outcome) => this.record(outcome));

  /** Reads outcomes from a loader thread's port from now on. */
  listen(port: MessagePort): void {
    port.unref();
    this.ports.push(port);
  }

  /** Everything loaded so far was loaded for race-hunt itself (called once its hooks are registered). */
  markOwnPackages(): void {
    this.drain();
    for (const root of this.packages.keys()) this.ownPackages.add(root);
  }

  /** Whether `file` (an absolute path) was instrumented. */
  isInstrumented(file: string): boolean {
    this.drain();
    return this.instrumented.has(file);
  }

  /** Why `file` was left uninstrumented although the policy wanted it instrumented, if it was. */
  refusalOf(file: string): string | undefined {
    this.drain();
    return this.instrumented.has(file) ? undefined : this.refusals.get(file);
  }

  /** The packages loaded for the user's code (not race-hunt's own), in the order first seen. */
  loadedPackages(): LoadedPackage[] {
    this.drain();
    return [...this.packages.values()].filter((p) => !this.ownPackages.has(p.root));
  }

  private record(outcome: ModuleOutcome): void {
    switch (outcome.kind) {
      case 'instrumented':
        this.instrumented.add(outcome.file);
        break;
      case 'refused':
        if (!this.refusals.has(outcome.file)) this.refusals.set(outcome.file, outcome.reason);
        break;
      case 'package': {
        const known = this.packages.get(outcome.root);
        // Seen by two threads: included if either instrumented it.
        if (known === undefined || (!known.included && outcome.included)) {
          this.packages.set(outcome.root, { root: outcome.root, folder: outcome.folder, name: outcome.name, included: outcome.included });
        }
        break;
      }
    }
  }

  private drain(): void {
    for (const port of this.ports) {
      for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
        this.record(message.message as ModuleOutcome);
      }
    }
  }
}

/** The one record per process (hooks, like the modules they load, are registered once). */
export const loadedModules = new LoadedModules();
