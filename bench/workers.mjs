// Workers benchmark: runs/s of one scenario explored by 1 and by 2 worker threads (and, for
// reference, in race-hunt's own thread), measured side by side in one process and interleaved
// round by round, so that a noisy machine shifts them alike; then peak RSS of the whole
// process (workers included) at 10k and 1M runs. Quote the medians and ratios, never one time.
//
//   npm run bench:workers
//   BENCH_ROUNDS=5 BENCH_RUNS=60000 BENCH_MEMORY_RUNS=10000,100000 node bench/workers.mjs
//
// Exploration time is the scenario report's durationMs (workers started and the module loaded
// before it begins): what --workers changes. The start-up of a pool is printed separately.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { run } from 'race-hunt';

const SCENARIO_FILE = fileURLToPath(new URL('./scenarios/throughput.scenario.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/race-hunt.js', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MEMORY_RUNS = (process.env.BENCH_MEMORY_RUNS ?? '10000,1000000').split(',').map(Number);
const NAME = 'counter 2x10';
// Long enough that each worker's start (JIT warm-up, the 64 calibration runs every worker
// runs) is a small part: what is compared is the steady state.
const RUNS = Number(process.env.BENCH_RUNS ?? 300_000);
const SEED = 42;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function explore(workers) {
  const started = performance.now();
  const report = await run([SCENARIO_FILE], { runs: RUNS, seed: SEED, scenario: NAME, strategy: 'portfolio', reporter: {}, corpus: false, workers });
  const total = performance.now() - started;
  const [s] = report.scenarios;
  if (s?.status !== 'pass' || s.runs !== RUNS) throw new Error(`unexpected report ${JSON.stringify(report.scenarios)}`);
  return { runsPerSecond: (RUNS / s.durationMs) * 1000, overheadMs: total - s.durationMs, interleavings: s.interleavings };
}

console.log(`race-hunt workers benchmark — ${os.cpus().length} cores (${os.availableParallelism()} available), Node ${process.version}`);
console.log(`scenario "${NAME}", ${RUNS.toLocaleString()} runs per measurement, portfolio strategy, ${ROUNDS} rounds\n`);
const results = { 0: [], 1: [], 2: [] };
const seen = new Set();
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order each round, so neither side always runs on a warmer machine.
  const order = round % 2 === 0 ? [1, 2, 0] : [0, 2, 1];
  for (const workers of order) {
    const r = await explore(workers);
    results[workers].push(r);
    seen.add(r.interleavings);
  }
}
const rate = (w) => median(results[w].map((r) => r.runsPerSecond));
const overhead = (w) => median(results[w].map((r) => r.overheadMs));
for (const w of [0, 1, 2]) {
  const label = w === 0 ? 'in this thread' : `${w} worker${w === 1 ? '' : 's'}`;
  console.log(`${label.padEnd(16)} ${Math.round(rate(w)).toLocaleString().padStart(9)} runs/s (median)   start-up and load ${Math.round(overhead(w))} ms`);
}
console.log(`\n2 workers ÷ 1 worker: ${(rate(2) / rate(1)).toFixed(2)}×   1 worker ÷ this thread: ${(rate(1) / rate(0)).toFixed(2)}×`);
console.log(`same result with 0, 1 and 2 workers: ${seen.size === 1 ? 'yes' : `no (${[...seen].join(', ')} interleavings)`}`);

// Peak RSS of the CLI process, workers included, over explorations of growing length.
if (existsSync('/usr/bin/time')) {
  console.log('\npeak RSS of `race-hunt run` (2 workers, counter 4x10, random):');
  for (const runs of MEMORY_RUNS) {
    const child = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, 'run', SCENARIO_FILE, '--scenario', 'counter 4x10', '--runs', String(runs), '--strategy', 'random', '--seed', String(SEED), '--no-corpus', '--workers', '2', '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const kb = Number(child.stderr.trim().split('\n').at(-1));
    console.log(`  ${runs.toLocaleString().padStart(10)} runs: ${Math.round(kb / 1024)} MB`);
  }
} else {
  console.log('\n(/usr/bin/time not found: peak RSS not measured)');
}
