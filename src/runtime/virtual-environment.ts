import { syncBuiltinESMExports } from 'node:module';
import type { Effect } from './native-effects.js';
import type { Patch } from './patch.js';
import { abortSignalPatches } from './virtual-abort-signal.js';
import { clockPatches } from './virtual-clock.js';
import { randomPatches } from './virtual-random.js';
import { timerPromisePatches } from './virtual-timer-promises.js';
import { timerPatches } from './virtual-timers.js';
import { processExitPatches } from './process-exit.js';

/**
 * Virtual time and seeded randomness for the scenario: installs the stand-ins of
 * `virtual-timers.ts` (timers), `virtual-timer-promises.ts` (`node:timers/promises`),
 * `virtual-abort-signal.ts` (`AbortSignal.timeout`), `virtual-clock.ts` (`Date`, `performance`,
 * `process.uptime`/`hrtime`), `virtual-random.ts` (`Math.random`, crypto) and `process-exit.ts`
 * (`process.exit` ends the run as a violation, not the process). Each falls back
 * to the real one outside a run (or outside a task, for what arms a timer), so installing once
 * per process is safe: race-hunt itself and a test runner share the process.
 */

function patches(): Patch[] {
  return [...timerPatches(), ...timerPromisePatches(), ...abortSignalPatches(), ...clockPatches(), ...randomPatches(), ...processExitPatches()];
}

let restore: (() => void) | undefined;
let installed: readonly Patch[] = [];

/**
 * What the installed stand-ins do to state a step can share, for partial-order reduction:
 * timers read and write the virtual timer queue, randomness the scenario's generator; the
 * clock only moves when a timer fires, a step that conflicts with every other anyway.
 */
export function standInEffects(): Map<unknown, Effect> {
  const effects = new Map<unknown, Effect>();
  for (const { value, get, effect } of installed) effects.set(value ?? get, effect);
  return effects;
}

/**
 * Replaces timers, clock and randomness with their virtual versions (idempotent) and keeps
 * each replaced property's descriptor, to put it back exactly.
 */
export function installVirtualEnvironment(): void {
  if (restore !== undefined) return;
  const saved: { patch: Patch; descriptor: PropertyDescriptor | undefined }[] = [];
  for (const patch of patches()) {
    const descriptor = Object.getOwnPropertyDescriptor(patch.target, patch.key);
    // A fixed property cannot be replaced (none of those patched is fixed on Node 20).
    if (descriptor !== undefined && !descriptor.configurable) continue;
    const enumerable = descriptor?.enumerable ?? true;
    Object.defineProperty(
      patch.target,
      patch.key,
      patch.get !== undefined
        ? { get: patch.get, enumerable, configurable: true }
        : { value: patch.value, writable: descriptor?.writable ?? true, enumerable, configurable: true },
    );
    saved.push({ patch, descriptor });
  }
  installed = saved.map((s) => s.patch);
  // ESM importers of node:timers & co. see the stand-ins too.
  syncBuiltinESMExports();
  restore = () => {
    for (const { patch, descriptor } of saved.reverse()) {
      if (descriptor === undefined) delete (patch.target as Record<string | symbol, unknown>)[patch.key];
      else Object.defineProperty(patch.target, patch.key, descriptor);
    }
    syncBuiltinESMExports();
    installed = [];
  };
}

/** Puts the real timers, clock and randomness back. */
export function uninstallVirtualEnvironment(): void {
  restore?.();
  restore = undefined;
}
