import { noteInstrumentation } from '../instrument/active-instrumentation.js';
import { installGateGlobals } from '../runtime/gate-globals.js';
import { raceHuntMatchers } from './matchers.js';
import { vitestSettings } from './vitest-settings.js';

/** The part of vitest's `expect` this needs. */
interface Extensible {
  extend(matchers: Record<string, unknown>): void;
}

/**
 * Readies one vitest worker (the plugin's setup file calls it): the entry points the plugin's
 * instrumented code calls (transparent outside explore()), the note that the plugin is at work,
 * and the matchers. Without the plugin only the matchers are added, and explore() then says the
 * plugin is missing.
 */
export function setUpVitestWorker(expect: Extensible): void {
  const settings = vitestSettings();
  if (settings !== undefined) {
    installGateGlobals();
    noteInstrumentation('vite plugin', settings.include, settings.track);
  }
  expect.extend(raceHuntMatchers(settings?.mode));
}
