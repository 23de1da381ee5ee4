import { scenario } from 'race-hunt';
import type { Scenario } from 'race-hunt';

/**
 * Throughput workloads for bench/throughput.mjs: `tasks` tasks, each awaiting `awaits`
 * already-resolved promises and bumping a shared counter after every one. The counter is
 * only touched synchronously after an await, so no interleaving loses an update and the
 * invariant passes in every run: the benchmark measures exploration, not a finding.
 * The driver runs the same logic without race-hunt and under fast-check's scheduler.
 */
interface Shared {
  counter: number;
}

function counterScenario(tasks: number, awaits: number): Scenario<Shared> {
  const expected = tasks * awaits;
  const body = async (shared: Shared): Promise<void> => {
    for (let k = 0; k < awaits; k++) {
      await Promise.resolve(k);
      shared.counter++;
    }
  };
  const named: Record<string, (shared: Shared) => Promise<void>> = {};
  for (let t = 0; t < tasks; t++) named[`t${t}`] = body;
  return scenario(`counter ${tasks}x${awaits}`, {
    setup: () => ({ counter: 0 }),
    tasks: named,
    invariant: (shared) => shared.counter === expected || `counter is ${shared.counter}, expected ${expected}`,
  });
}

export const twoByFive = counterScenario(2, 5);
export const twoByTen = counterScenario(2, 10);
export const eightByTen = counterScenario(8, 10);
