// Partial-order reduction benchmark: how many runs `dpor` needs to cover every schedule of the
// SCTBench ports (bench/bugs/, see BUGS.md), next to exhaustive dfs with no effective bound
// (--preemptions 64: dfs stops at the first bound that turns no schedule away), measured side
// by side in one process; and how many runs dpor needs to find each bug.
//
//   npm run bench:dpor                           (builds dist/, runs this file, writes bench/DPOR.md)
//   BENCH_ONLY=account,deadlock01 node bench/dpor.mjs   (some bugs only; DPOR.md is not written)
//   BENCH_JOBS=1 node bench/dpor.mjs             (one child process at a time instead of two)
//
// Each bug runs in a child process of its own, dpor first: the first run() of a process decides
// whether modules load with access tracking, and dpor needs it (dfs then runs the same tracked
// code, with nothing recording).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { run } from 'race-hunt';

const BUGS_DIR = fileURLToPath(new URL('./bugs/', import.meta.url));
const REPORT_FILE = fileURLToPath(new URL('./DPOR.md', import.meta.url));
const DPOR_RUNS = 100_000;
const DFS_RUNS = 1_000_000;
const FIND_RUNS = 20_000;
const JOBS = Math.max(1, Number(process.env.BENCH_JOBS) || 2);
const execFileAsync = promisify(execFile);
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;

/** `dfsRuns`, `dporRuns`, `findRuns`: smaller caps where one run costs ten milliseconds or more (99 writers). */
const BUGS = [
  { id: 'reorder_2', file: 'reorder.scenario.ts' },
  { id: 'reorder_9', file: 'reorder.scenario.ts' },
  { id: 'reorder_19', file: 'reorder.scenario.ts' },
  { id: 'twostage_2', file: 'twostage.scenario.ts' },
  { id: 'twostage_99', file: 'twostage.scenario.ts', dfsRuns: 20_000, dporRuns: 2_000, findRuns: 2_000 },
  { id: 'wronglock', file: 'wronglock.scenario.ts' },
  { id: 'account', file: 'account.scenario.ts' },
  { id: 'deadlock01', file: 'deadlock01.scenario.ts' },
  { id: 'carter01', file: 'carter01.scenario.ts' },
  { id: 'token_ring', file: 'token-ring.scenario.ts' },
  { id: 'stack', file: 'stack.scenario.ts' },
  { id: 'circular_buffer', file: 'circular-buffer.scenario.ts' },
  { id: 'bluetooth_driver', file: 'bluetooth-driver.scenario.ts' },
].filter((b) => ONLY === undefined || ONLY.includes(b.id));

async function explore(bug, variant, options, runs) {
  const scenario = `${bug.id} (${variant})`;
  const started = performance.now();
  const report = await run([BUGS_DIR + bug.file], { ...options, scenario, runs, seed: 1, shrink: false, corpus: false, reporter: undefined });
  const ms = performance.now() - started;
  const [s] = report.scenarios;
  if (report.scenarios.length !== 1 || s.name !== scenario || s.status === 'error') {
    throw new Error(`${scenario}: unexpected report ${JSON.stringify(report.scenarios.map((r) => [r.name, r.status, r.error]))}`);
  }
  const verdict = s.verification[0];
  return { found: s.status === 'fail', run: s.violation?.run, runs: s.runs, exhaustive: verdict?.exhaustive === true, schedules: verdict?.schedules, ms };
}

const fmt = (n) => n.toLocaleString('en-US');
const perRun = (r) => (r.ms / r.runs).toFixed(3);

function coverage(r, cap) {
  if (r.found) return `violation in run ${fmt(r.run)}`;
  return r.exhaustive ? `exhaustive: ${fmt(r.schedules)}` : `not exhaustive (${fmt(cap)} runs)`;
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** One bug, in a process of its own (dpor first, so that its modules load with tracking): its two rows. */
async function measure(bug) {
  const dporRuns = bug.dporRuns ?? DPOR_RUNS;
  const dfsRuns = bug.dfsRuns ?? DFS_RUNS;
  // Loads the modules (with tracking) outside the timings: short explorations would mostly time that.
  await explore(bug, 'fixed', { strategy: 'dpor' }, 1);
  const dpor = await explore(bug, 'fixed', { strategy: 'dpor' }, dporRuns);
  const dfs = await explore(bug, 'fixed', { strategy: 'dfs', preemptions: 64 }, dfsRuns);
  const ratio = dpor.exhaustive && dfs.exhaustive ? `${(dfs.schedules / dpor.schedules).toFixed(1)}×` : '—';
  const find = await explore(bug, 'buggy', { strategy: 'dpor' }, bug.findRuns ?? FIND_RUNS);
  return {
    fixed: [`${bug.id} (fixed)`, coverage(dpor, dporRuns), coverage(dfs, dfsRuns), ratio, perRun(dpor), perRun(dfs)],
    find: [bug.id, find.found ? fmt(find.run) : `— (${find.exhaustive ? 'exhaustive!' : `${fmt(find.runs)} runs`})`],
  };
}

if (process.env.BENCH_CHILD !== undefined) {
  const bug = BUGS.find((b) => b.id === process.env.BENCH_CHILD);
  process.stdout.write(JSON.stringify(await measure(bug)));
  process.exit(0);
}

/** Runs every bug in a child process, JOBS at a time, and returns their rows in the table's order. */
async function measureAll() {
  const results = new Map();
  const queue = [...BUGS];
  const worker = async () => {
    for (let bug = queue.shift(); bug !== undefined; bug = queue.shift()) {
      const { stdout } = await execFileAsync(process.execPath, [fileURLToPath(import.meta.url)], {
        env: { ...process.env, BENCH_CHILD: bug.id },
        maxBuffer: 1 << 20,
      });
      const rows = JSON.parse(stdout);
      results.set(bug.id, rows);
      process.stderr.write(`${bug.id}: ${rows.fixed.slice(1).join(' · ')} · find ${rows.find[1]}\n`);
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  return BUGS.map((b) => results.get(b.id));
}

const started = performance.now();
const measured = await measureAll();
const fixedRows = measured.map((m) => m.fixed);
const findRows = measured.map((m) => m.find);
const minutes = ((performance.now() - started) / 60_000).toFixed(1);

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
} catch {
  // not a git checkout
}
const block = [
  `Command: \`npm run bench:dpor\` (node bench/dpor.mjs), race-hunt at ${commit}  `,
  `Date: ${new Date().toISOString().slice(0, 10)}  `,
  `Machine: ${os.cpus().length} cores, shared with other work; node ${process.version}`,
  '',
  `Fixed variants: dpor (up to ${fmt(DPOR_RUNS)} runs) and dfs with --preemptions 64 (up to ${fmt(DFS_RUNS)} runs), both with no effective bound, so both claim every schedule when exhaustive; twostage_99: dpor ${fmt(2_000)}, dfs ${fmt(20_000)} runs (and ${fmt(2_000)} to find). "exhaustive: n" is the runs dpor needed (one per class of equivalent schedules, some twice) and the distinct schedules dfs ran; "dfs ÷ dpor" their ratio; ms per run measured in the same process.`,
  '',
  table(['fixed variant', 'dpor (no bound)', 'dfs (no bound)', 'dfs ÷ dpor', 'dpor ms/run', 'dfs ms/run'], fixedRows),
  '',
  `Buggy variants: dpor's runs to the first violation (deterministic, one exploration of up to ${fmt(FIND_RUNS)} runs).`,
  '',
  table(['bug', 'dpor: runs to find'], findRows),
  '',
  `Total wall time ${minutes} min with ${JOBS} processes (each bug in one: dpor and dfs side by side).`,
].join('\n');
process.stdout.write(`${block}\n`);

if (ONLY === undefined) {
  const START = '<!-- results:start (written by bench/dpor.mjs) -->';
  const END = '<!-- results:end -->';
  const current = readFileSync(REPORT_FILE, 'utf8');
  const from = current.indexOf(START);
  const to = current.indexOf(END);
  if (from < 0 || to < 0) throw new Error(`${REPORT_FILE} has no results markers`);
  writeFileSync(REPORT_FILE, `${current.slice(0, from + START.length)}\n${block}\n${current.slice(to)}`);
}
