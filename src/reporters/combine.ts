import type { Reporter } from './reporter.js';

type Hook = keyof Reporter;

const HOOKS: readonly Hook[] = ['onRunStart', 'onScenarioStart', 'onProgress', 'onShrinkStart', 'onShrinkProgress', 'onScenarioEnd', 'onRunEnd'];

/**
 * One reporter that hands every hook to each of `reporters`, in order. Each hears the hook
 * even when one before it throws (a report file that cannot be written must not keep the
 * others from writing theirs); the first error is thrown once all have heard it.
 */
export function combineReporters(reporters: readonly Reporter[]): Reporter {
  const combined: Record<string, (info: never) => void> = {};
  for (const hook of HOOKS) {
    const listeners = reporters.filter((r) => r[hook] !== undefined);
    if (listeners.length === 0) continue;
    combined[hook] = (info: never): void => {
      const errors: unknown[] = [];
      for (const reporter of listeners) {
        try {
          (reporter[hook] as (info: never) => void).call(reporter, info);
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw errors[0];
    };
  }
  return combined as Reporter;
}
