// Throughput benchmark: race-hunt against the same logic run plainly and under fast-check's
// scheduler, measured side by side in one process and interleaved round by round, so that a
// noisy machine shifts all of them alike. Quote the medians and ratios it prints, never one time.
//
//   npm run bench                                  (builds dist/, then runs this file)
//   BENCH_ROUNDS=7 BENCH_SCALE=2 node bench/throughput.mjs
//
// Each task does `for (k < awaits) { await Promise.resolve(k); shared.counter++ }`.
// (a) plain:      the tasks under `await Promise.all(tasks)`, no scheduler: the physical limit.
// (b) fast-check: fc.assert(fc.asyncProperty(fc.scheduler(), ...)) as fast-check's docs show it,
//                 every awaited value wrapped in s.schedule(...), the run driven by
//                 `await s.waitFor(Promise.all(tasks))`. For reference also "fc bare": schedulers
//                 drawn with fc.sample and driven in a plain loop, without the property runner.
// (c) race-hunt:  bench/scenarios/throughput.scenario.ts, loaded and instrumented by the real
//                 loader and explored by the real run() from dist/ (random strategy, fixed
//                 seed; the invariant holds in every schedule, so every run is executed).
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import fc from 'fast-check';
import { run } from 'race-hunt';

const SCENARIO_FILE = fileURLToPath(new URL('./scenarios/throughput.scenario.ts', import.meta.url));
const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 5);
const SCALE = positiveNumber(process.env.BENCH_SCALE, 1);
const SEED = 42;

/** The workloads (names as in the scenario module); run counts aim at 0.3–1 s per measurement. */
const WORKLOADS = [
  { tasks: 2, awaits: 5, runs: { plain: 600_000, fc: 10_000, rh: 20_000 } },
  { tasks: 2, awaits: 10, runs: { plain: 300_000, fc: 6_000, rh: 20_000 } },
  { tasks: 8, awaits: 10, runs: { plain: 90_000, fc: 1_200, rh: 5_000 } },
].map((w) => ({
  ...w,
  name: `counter ${w.tasks}x${w.awaits}`,
  label: `${w.tasks} tasks × ${w.awaits} awaits`,
  runs: Object.fromEntries(Object.entries(w.runs).map(([k, v]) => [k, Math.max(1, Math.round(v * SCALE))])),
}));

function positiveInt(text, fallback) {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function positiveNumber(text, fallback) {
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

// ---- (a) plain ----

async function plainTask(shared, awaits) {
  for (let k = 0; k < awaits; k++) {
    await Promise.resolve(k);
    shared.counter++;
  }
}

async function plain({ tasks, awaits }, runs) {
  const expected = tasks * awaits;
  for (let r = 0; r < runs; r++) {
    const shared = { counter: 0 };
    const all = [];
    for (let t = 0; t < tasks; t++) all.push(plainTask(shared, awaits));
    await Promise.all(all);
    if (shared.counter !== expected) throw new Error(`plain: counter ${shared.counter}, expected ${expected}`);
  }
}

// ---- (b) fast-check ----

async function scheduledTask(s, shared, awaits) {
  for (let k = 0; k < awaits; k++) {
    await s.schedule(Promise.resolve(k));
    shared.counter++;
  }
}

/** One run under a fast-check scheduler; true when the counter is right. */
async function fcBody(s, tasks, awaits) {
  const shared = { counter: 0 };
  const all = [];
  for (let t = 0; t < tasks; t++) all.push(scheduledTask(s, shared, awaits));
  await s.waitFor(Promise.all(all));
  return shared.counter === tasks * awaits;
}

async function fastCheck({ tasks, awaits }, runs) {
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), (s) => fcBody(s, tasks, awaits)),
    { numRuns: runs, seed: SEED },
  );
}

async function fastCheckBare({ tasks, awaits }, runs) {
  const BATCH = 1000;
  for (let done = 0; done < runs; done += BATCH) {
    const schedulers = fc.sample(fc.scheduler(), { numRuns: Math.min(BATCH, runs - done), seed: SEED + done });
    for (const s of schedulers) {
      if (!(await fcBody(s, tasks, awaits))) throw new Error('fast-check bare: wrong counter');
    }
  }
}

// ---- (c) race-hunt ----

/** Distinct interleavings race-hunt reported per workload (evidence that it explores). */
const interleavings = {};

async function raceHunt({ name }, runs) {
  // corpus: false — what is measured is exploration; replaying saved failures first is a
  // per-invocation cost (reading .race-hunt/failures), not a per-run one.
  const report = await run([SCENARIO_FILE], { runs, seed: SEED, scenario: name, strategy: 'random', reporter: {}, corpus: false });
  const [scenario] = report.scenarios;
  if (report.scenarios.length !== 1 || scenario.name !== name || scenario.status !== 'pass' || scenario.runs !== runs) {
    throw new Error(`race-hunt: unexpected report ${JSON.stringify(report.scenarios)}`);
  }
  interleavings[name] = `${scenario.interleavings} in ${runs} runs`;
}

// ---- measuring ----

const PLAIN = { key: 'plain', fn: plain, runsKey: 'plain' };
const FC = { key: 'fc', fn: fastCheck, runsKey: 'fc' };
const FC_BARE = { key: 'fcBare', fn: fastCheckBare, runsKey: 'fc' };
const RH = { key: 'rh', fn: raceHunt, runsKey: 'rh' };
const MEASURES = [PLAIN, FC, FC_BARE, RH];

/** Runs/s by wall time and by process CPU time (user + system; less sensitive to a busy host). */
async function rate(measure, workload, runs = workload.runs[measure.runsKey]) {
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await measure.fn(workload, runs);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wall: (runs / wallMs) * 1000, cpu: (runs / ((used.user + used.system) / 1000)) * 1000 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmtRate = (x) => (x >= 100_000 ? `${(x / 1000).toFixed(0)}k` : x >= 10_000 ? `${(x / 1000).toFixed(1)}k` : `${(x / 1000).toFixed(2)}k`);
const fmtRatio = (x) => `${x.toFixed(2)}×`;
const spread = (xs) => `${fmtRatio(Math.min(...xs))}–${fmtRatio(Math.max(...xs))}`;

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

async function main() {
  const cpus = os.cpus();
  console.log(`race-hunt throughput benchmark, ${new Date().toISOString()}`);
  console.log(`node ${process.version}, ${cpus.length} cores (${cpus[0]?.model ?? 'unknown cpu'}), ${os.platform()} ${os.arch()}`);
  console.log(`load average at the start: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`${ROUNDS} rounds, each: plain, fast-check, fast-check bare, race-hunt for every workload; scale ${SCALE}; seed ${SEED}`);
  console.log('');

  // Before race-hunt has run at all: plain and fast-check (median of 3), to show whether run() leaves
  // anything behind (promise hooks, patched globals) that slows them in the rounds.
  const before = {};
  for (const w of WORKLOADS) {
    await rate(PLAIN, w); // warm-up
    await rate(FC, w);
    const plainRates = [];
    const fcRates = [];
    for (let i = 0; i < 3; i++) {
      plainRates.push((await rate(PLAIN, w)).wall);
      fcRates.push((await rate(FC, w)).wall);
    }
    before[w.name] = { plain: median(plainRates), fc: median(fcRates) };
  }
  // Warm-up for race-hunt and fc bare: loads and instruments the scenario module, warms the JIT.
  for (const w of WORKLOADS) {
    await rate(FC_BARE, w, Math.ceil(w.runs.fc / 4));
    await rate(RH, w, Math.ceil(w.runs.rh / 4));
  }

  const samples = {};
  for (const w of WORKLOADS) samples[w.name] = Object.fromEntries(MEASURES.map((m) => [m.key, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const w of WORKLOADS) {
      for (const m of MEASURES) samples[w.name][m.key].push(await rate(m, w));
    }
    console.log(`round ${round}/${ROUNDS} done`);
  }
  console.log('');

  const rows = [];
  const detail = [];
  const verdicts = [];
  for (const w of WORKLOADS) {
    const s = samples[w.name];
    const med = (key, clock = 'wall') => median(s[key].map((x) => x[clock]));
    const steps = w.tasks * (w.awaits + 1);
    const releases = w.tasks * w.awaits;
    const rhOverFc = med('rh') / med('fc');
    const plainOverRh = med('plain') / med('rh');
    const rhOverFcCpu = med('rh', 'cpu') / med('fc', 'cpu');
    const plainOverRhCpu = med('plain', 'cpu') / med('rh', 'cpu');
    rows.push([
      w.label,
      fmtRate(med('plain')),
      fmtRate(med('fc')),
      fmtRate(med('fc') * releases),
      fmtRate(med('fcBare')),
      fmtRate(med('rh')),
      fmtRate(med('rh') * steps),
      fmtRatio(rhOverFc),
      fmtRatio(plainOverRh),
      fmtRatio(rhOverFcCpu),
      fmtRatio(plainOverRhCpu),
    ]);
    detail.push([
      w.label,
      spread(s.rh.map((x, i) => x.wall / s.fc[i].wall)),
      spread(s.plain.map((x, i) => x.wall / s.rh[i].wall)),
      `${fmtRate(before[w.name].plain)} / ${fmtRate(med('plain'))}`,
      `${fmtRate(before[w.name].fc)} / ${fmtRate(med('fc'))}`,
      interleavings[w.name] ?? '?',
    ]);
    const met = (ok) => (ok ? 'MET' : 'MISSED');
    verdicts.push(
      `${w.label}: race-hunt ≥ fast-check: ${met(rhOverFc >= 1)} (${fmtRatio(rhOverFc)}; cpu ${fmtRatio(rhOverFcCpu)}); ` +
        `plain ÷ race-hunt ≤ 15: ${met(plainOverRh <= 15)} (${fmtRatio(plainOverRh)}; cpu ${fmtRatio(plainOverRhCpu)})`,
    );
  }

  console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('');
  console.log(`Medians of ${ROUNDS} interleaved rounds, wall clock (k = thousand per second); the (cpu) ratios use process CPU time`);
  console.log(
    table(
      ['workload', 'plain runs/s', 'fast-check runs/s', 'fc releases/s', 'fc bare runs/s', 'race-hunt runs/s', 'rh steps/s', 'rh ÷ fc', 'plain ÷ rh', 'rh ÷ fc (cpu)', 'plain ÷ rh (cpu)'],
      rows,
    ),
  );
  console.log('');
  console.log('Robustness: per-round wall-clock ratios (min–max); plain and fast-check');
  console.log('runs/s before race-hunt first ran (median of 3) vs in the rounds; distinct interleavings race-hunt saw (last round)');
  console.log(
    table(
      ['workload', 'rh ÷ fc per round', 'plain ÷ rh per round', 'plain before / rounds', 'fc before / rounds', 'rh interleavings'],
      detail,
    ),
  );
  console.log('');
  console.log('Targets (from the medians above):');
  for (const v of verdicts) console.log(`  ${v}`);
  console.log('');
  console.log('rh steps = task starts + awaits resumed = tasks × (awaits + 1). fc releases = tasks × awaits');
  console.log('(fast-check does not schedule task starts). fc bare = fc.sample schedulers in a loop, no fc.assert.');
}

await main();
