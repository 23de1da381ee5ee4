// Workers benchmark: runs/s of one scenario explored by 1 and by 2 worker threads (and, for
// reference, in race-hunt's own thread), measured side by side in one process and interleaved
// round by round, so that a noisy machine shifts them alike, beside the ceiling (two
// independent explorations at once, in threads and in processes); then peak RSS of the whole
// process (workers included) at 10k and 1M runs. Quote the medians and ratios, never one time.
//
//   npm run bench:workers
//   BENCH_ROUNDS=5 BENCH_RUNS=60000 BENCH_MEMORY_RUNS=10000,100000 node bench/workers.mjs
//
// Exploration time is the scenario report's durationMs (workers started and the module loaded
// before it begins): what --workers changes. The start-up of a pool is printed separately.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
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

// The ceiling: the same number of runs as two independent explorations (half each, two seeds),
// side by side in two plain threads of this process or in two processes. What two isolates
// cost each other on this machine (shared caches, the VM's scheduling) bounds any split.
const HALF = Math.ceil(RUNS / 2);
async function exploreHalf(seed) {
  const report = await run([SCENARIO_FILE], { runs: HALF, seed, scenario: NAME, strategy: 'portfolio', reporter: {}, corpus: false, workers: 0 });
  return report.scenarios[0].durationMs;
}
if (!isMainThread) {
  parentPort.postMessage(await exploreHalf(workerData));
  await new Promise(() => {}); // ended by the main thread
}
const HALF_IN_CHILD = `import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)}).then(async ({ run }) => {
  const r = await run([${JSON.stringify(SCENARIO_FILE)}], { runs: ${HALF}, seed: Number(process.argv[1]), scenario: ${JSON.stringify(NAME)}, strategy: 'portfolio', reporter: {}, corpus: false, workers: 0 });
  console.log(r.scenarios[0].durationMs);
})`;
async function independentPair(inThreads) {
  const durations = await Promise.all(
    [SEED, SEED + 1].map((seed) =>
      inThreads
        ? new Promise((resolve, reject) => {
            const worker = new Worker(new URL(import.meta.url), { workerData: seed });
            worker.once('message', (ms) => void worker.terminate().then(() => resolve(ms)));
            worker.once('error', reject);
          })
        : new Promise((resolve, reject) => {
            let out = '';
            const child = spawn(process.execPath, ['--input-type=module', '-e', HALF_IN_CHILD, String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
            child.stdout.on('data', (chunk) => (out += chunk));
            child.once('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`child exited ${code}`))));
          }),
    ),
  );
  return { runsPerSecond: ((2 * HALF) / Math.max(...durations)) * 1000, overheadMs: 0, interleavings: undefined };
}

console.log(`race-hunt workers benchmark — ${os.cpus().length} cores (${os.availableParallelism()} available), Node ${process.version}`);
console.log(`scenario "${NAME}", ${RUNS.toLocaleString()} runs per measurement, portfolio strategy, ${ROUNDS} rounds\n`);
const results = { 0: [], 1: [], 2: [], threads: [], processes: [] };
const seen = new Set();
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order each round, so neither side always runs on a warmer machine.
  const order = round % 2 === 0 ? [1, 2, 0, 'threads', 'processes'] : ['processes', 'threads', 0, 2, 1];
  for (const variant of order) {
    if (typeof variant === 'string') {
      results[variant].push(await independentPair(variant === 'threads'));
      continue;
    }
    const r = await explore(variant);
    results[variant].push(r);
    seen.add(r.interleavings);
  }
}
const rate = (w) => median(results[w].map((r) => r.runsPerSecond));
const overhead = (w) => median(results[w].map((r) => r.overheadMs));
for (const w of [0, 1, 2]) {
  const label = w === 0 ? 'in this thread' : `${w} worker${w === 1 ? '' : 's'}`;
  console.log(`${label.padEnd(16)} ${Math.round(rate(w)).toLocaleString().padStart(9)} runs/s (median)   start-up and load ${Math.round(overhead(w))} ms`);
}
console.log(`\ntwo independent explorations of ${HALF.toLocaleString()} runs each, side by side (the ceiling for 2):`);
console.log(`${'  in 2 threads'.padEnd(16)} ${Math.round(rate('threads')).toLocaleString().padStart(9)} runs/s (median)   ÷ 1 worker: ${(rate('threads') / rate(1)).toFixed(2)}×`);
console.log(`${'  in 2 processes'.padEnd(16)} ${Math.round(rate('processes')).toLocaleString().padStart(9)} runs/s (median)   ÷ 1 worker: ${(rate('processes') / rate(1)).toFixed(2)}×`);
console.log(`\n2 workers ÷ 1 worker: ${(rate(2) / rate(1)).toFixed(2)}×   1 worker ÷ this thread: ${(rate(1) / rate(0)).toFixed(2)}×`);
console.log(`2 workers ÷ two independent explorations in threads: ${(rate(2) / rate('threads')).toFixed(2)}×, in processes: ${(rate(2) / rate('processes')).toFixed(2)}×`);
console.log(`same result with 0, 1 and 2 workers: ${seen.size === 1 ? 'yes' : `no (${[...seen].join(', ')} interleavings)`}`);

// Peak RSS of the CLI process, workers included, over explorations of growing length.
if (existsSync('/usr/bin/time')) {
  console.log('\npeak RSS of `race-hunt run` (2 workers, counter 8x10, random):');
  for (const runs of MEMORY_RUNS) {
    const child = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, 'run', SCENARIO_FILE, '--scenario', 'counter 8x10', '--runs', String(runs), '--strategy', 'random', '--seed', String(SEED), '--no-corpus', '--workers', '2', '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    // Measure only an exploration that happened: a scenario name that matched nothing also exits.
    const report = JSON.parse(child.stdout);
    const explored = report.scenarios?.[0];
    if (child.status !== 0 || explored?.status !== 'pass' || explored.runs !== runs) throw new Error(`peak RSS: unexpected run (exit ${child.status}): ${child.stdout.slice(0, 500)}`);
    const kb = Number(child.stderr.trim().split('\n').at(-1));
    console.log(`  ${runs.toLocaleString().padStart(10)} runs: ${Math.round(kb / 1024)} MB`);
  }
} else {
  console.log('\n(/usr/bin/time not found: peak RSS not measured)');
}
