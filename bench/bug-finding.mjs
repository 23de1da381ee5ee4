// Bug-finding benchmark: classic concurrency bugs from SCTBench (Thomson, Donaldson, Betts,
// "Concurrency testing using controlled schedulers: an empirical study", TOPC 2016), ported to
// race-hunt scenarios in bench/bugs/ (see bench/bugs/lib/README.md for how), explored with each
// strategy; the number that matters is runs (executions) to the first violation.
//
//   npm run bench:bugs                      (builds dist/, then runs this file; writes bench/BUGS.md)
//   BENCH_JOBS=1 node bench/bug-finding.mjs  (one process instead of two)
//   BENCH_ONLY=reorder_2,account node bench/bug-finding.mjs   (some bugs only; BUGS.md is not written)
//   BENCH_STRATEGIES=sites1,portfolio node bench/bug-finding.mjs   (those columns over the buggy variants only; not written)
//
// For every bug (buggy variant) and strategy: run([file], { scenario, strategy, runs: 20,000,
// seed, shrink: false, corpus: false }) for seeds 1..20 and record violation.run, or "not found
// within 20,000". dfs and delay are deterministic: run once. Budget rules (stated in the table):
//  - a randomised cell stops after 5 seeds if none of them found the bug (its median is "not
//    found" anyway; the count then reads 0/5);
//  - dfs and delay over the fixed twostage_99 stop at 20,000 runs instead of 1,000,000 (a run
//    takes about 1 ms, and neither tree would finish anyway).
// fast-check: fc.check(fc.asyncProperty(fc.scheduler(), …), { numRuns: 20,000, seed,
// endOnFailure: true }) on hand-wrapped copies (every scheduling point an
// `await s.schedule(Promise.resolve())`); numRuns of the result is the failing run's index.
// Fixed variants: dfs (preemption bound 2, runs 1,000,000) — exhaustive or not, and how many
// schedules; delay (bound 2) likewise; portfolio, 20,000 runs, must pass.
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { run } from 'race-hunt';

const BUGS_DIR = fileURLToPath(new URL('./bugs/', import.meta.url));
const REPORT_FILE = fileURLToPath(new URL('./BUGS.md', import.meta.url));
const RUNS = 20_000;
const SEEDS = 20;
const STOP_AFTER = 5;
const FIXED_DFS_RUNS = 1_000_000;
const JOBS = positiveInt(process.env.BENCH_JOBS, 2);
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;
const ONLY_STRATEGIES = process.env.BENCH_STRATEGIES ? process.env.BENCH_STRATEGIES.split(',') : undefined;

/**
 * The bugs. `msPerRun`: a rough cost, to start the expensive cells first. `seeds`: caps on
 * seeds (strategy key → seeds). `dfsRuns` / `delayRuns`: caps on dfs / delay over the buggy
 * variant; `fixedDfsRuns` / `fixedDelayRuns`: caps on dfs / delay over the fixed variant,
 * where bound 0 (dfs) or bound 2 (delay) alone has far more schedules than that. The caps
 * bound time only: dfs and delay hold one path of decisions, not the tree (30,000 dfs runs of
 * the fixed reorder_9 fit a 64 MB heap).
 */
const BUGS = [
  { id: 'reorder_2', file: 'reorder.scenario.ts', msPerRun: 0.15 },
  { id: 'reorder_9', file: 'reorder.scenario.ts', msPerRun: 0.4 },
  { id: 'reorder_19', file: 'reorder.scenario.ts', msPerRun: 0.11 },
  { id: 'twostage_2', file: 'twostage.scenario.ts', msPerRun: 0.15 },
  {
    id: 'twostage_99',
    file: 'twostage.scenario.ts',
    msPerRun: 1.5,
    fixedDfsRuns: 20_000,
  },
  { id: 'wronglock', file: 'wronglock.scenario.ts', msPerRun: 0.3 },
  { id: 'account', file: 'account.scenario.ts', msPerRun: 0.1 },
  { id: 'deadlock01', file: 'deadlock01.scenario.ts', msPerRun: 0.1 },
  { id: 'carter01', file: 'carter01.scenario.ts', msPerRun: 0.15 },
  { id: 'token_ring', file: 'token-ring.scenario.ts', msPerRun: 0.1 },
  { id: 'stack', file: 'stack.scenario.ts', msPerRun: 0.2 },
  { id: 'circular_buffer', file: 'circular-buffer.scenario.ts', msPerRun: 0.2 },
  { id: 'bluetooth_driver', file: 'bluetooth-driver.scenario.ts', msPerRun: 0.1 },
].filter((b) => ONLY === undefined || ONLY.includes(b.id));

const STRATEGIES = [
  { key: 'random', label: 'random', options: { strategy: 'random' } },
  { key: 'pct1', label: 'pct d=1', options: { strategy: 'pct', depth: 1 } },
  { key: 'pct2', label: 'pct d=2', options: { strategy: 'pct', depth: 2 } },
  { key: 'pct3', label: 'pct d=3', options: { strategy: 'pct', depth: 3 } },
  { key: 'sites1', label: 'sites d=1', options: { strategy: 'sites', depth: 1 } },
  { key: 'sites2', label: 'sites d=2', options: { strategy: 'sites', depth: 2 } },
  { key: 'sites3', label: 'sites d=3', options: { strategy: 'sites', depth: 3 } },
  { key: 'delay', label: 'delay', options: { strategy: 'delay' }, deterministic: true },
  { key: 'dfs', label: 'dfs', options: { strategy: 'dfs' }, deterministic: true },
  { key: 'portfolio', label: 'portfolio', options: { strategy: 'portfolio' } },
];

function positiveInt(text, fallback) {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

// ---- race-hunt ----

async function explore(bug, variant, options, seed, runs) {
  const scenario = `${bug.id} (${variant})`;
  const started = performance.now();
  const report = await run([BUGS_DIR + bug.file], { ...options, scenario, runs, seed, shrink: false, corpus: false, reporter: undefined });
  const ms = performance.now() - started;
  const [s] = report.scenarios;
  if (report.scenarios.length !== 1 || s.name !== scenario || s.status === 'error') {
    throw new Error(`${scenario}: unexpected report ${JSON.stringify(report.scenarios.map((r) => [r.name, r.status, r.error]))}`);
  }
  return {
    seed,
    found: s.status === 'fail',
    run: s.violation?.run,
    kind: s.violation?.kind,
    foundBy: s.violation?.foundBy,
    runs: s.runs,
    ms,
    verification: s.verification,
  };
}

/** Seeds 1..n, stopping after STOP_AFTER seeds if none found the bug. */
async function overSeeds(seeds, once) {
  const results = [];
  for (let seed = 1; seed <= seeds; seed++) {
    results.push(await once(seed));
    if (results.length === STOP_AFTER && !results.some((r) => r.found)) break;
  }
  return results;
}

// ---- fast-check: hand-wrapped copies of some of the bugs ----

/** pthreads under fc.scheduler(): a created thread's first step, and every point, is an s.schedule. */
function fcThreads(s) {
  const threads = [];
  const point = () => s.schedule(Promise.resolve());
  return {
    point,
    create(body) {
      threads.push(
        (async () => {
          await point();
          await body();
        })(),
      );
      return point();
    },
    all: () => Promise.all(threads),
  };
}

class FcMutex {
  #locked = false;
  #waiters = [];
  constructor(point) {
    this.point = point;
  }
  async lock() {
    await this.point();
    while (this.#locked) await new Promise((resolve) => this.#waiters.push(resolve));
    this.#locked = true;
  }
  unlock() {
    this.#locked = false;
    this.#waiters.shift()?.();
  }
}

const FC_PROGRAMS = {
  reorder(iSet) {
    return async (t) => {
      const g = { a: 0, b: 0 };
      const set = async () => {
        g.a = 1;
        await t.point();
        g.b = -1;
      };
      const check = async () => {
        let ok = false;
        if (g.a === 0) {
          await t.point();
          if (g.b === 0) ok = true;
        }
        if (!ok) {
          await t.point();
          if (g.a === 1) {
            await t.point();
            if (g.b === -1) ok = true;
          }
        }
        if (!ok) throw new Error('Bug found!');
      };
      for (let i = 0; i < iSet; i++) await t.create(set);
      await t.create(check);
    };
  },
  twostage(iT) {
    return async (t) => {
      const g = { data1Value: 0, data2Value: 0, data1Lock: new FcMutex(t.point), data2Lock: new FcMutex(t.point) };
      const funcA = async () => {
        await g.data1Lock.lock();
        g.data1Value = 1;
        g.data1Lock.unlock();
        await g.data2Lock.lock();
        g.data2Value = g.data1Value + 1;
        g.data2Lock.unlock();
      };
      const funcB = async () => {
        await g.data1Lock.lock();
        if (g.data1Value === 0) {
          g.data1Lock.unlock();
          return;
        }
        const t1 = g.data1Value;
        g.data1Lock.unlock();
        await g.data2Lock.lock();
        const t2 = g.data2Value;
        g.data2Lock.unlock();
        if (t2 !== t1 + 1) throw new Error('Bug found!');
      };
      for (let i = 0; i < iT; i++) await t.create(funcA);
      await t.create(funcB);
    };
  },
  account() {
    return async (t) => {
      const g = { m: new FcMutex(t.point), x: 1, y: 2, z: 4, balance: 1, depositDone: false, withdrawDone: false };
      const checkResult = async () => {
        await g.m.lock();
        if (g.depositDone && g.withdrawDone && g.balance !== g.x - g.y - g.z) throw new Error('Bug found!');
        g.m.unlock();
      };
      const deposit = async () => {
        await g.m.lock();
        g.balance += g.y;
        g.depositDone = true;
        g.m.unlock();
      };
      const withdraw = async () => {
        await g.m.lock();
        g.balance -= g.z;
        g.withdrawDone = true;
        g.m.unlock();
      };
      await t.create(checkResult);
      await t.create(deposit);
      await t.create(withdraw);
    };
  },
};

const FC_BUGS = {
  reorder_2: FC_PROGRAMS.reorder(2),
  reorder_9: FC_PROGRAMS.reorder(9),
  twostage_2: FC_PROGRAMS.twostage(2),
  account: FC_PROGRAMS.account(),
};

async function fastCheck(bugId, seed) {
  const main = FC_BUGS[bugId];
  const property = fc.asyncProperty(fc.scheduler(), async (s) => {
    const t = fcThreads(s);
    try {
      await s.waitFor(main(t).then(() => t.all()));
      return true;
    } catch {
      return false;
    }
  });
  const started = performance.now();
  const details = await fc.check(property, { numRuns: RUNS, seed, endOnFailure: true });
  const ms = performance.now() - started;
  return { seed, found: details.failed, run: details.failed ? details.numRuns : undefined, runs: details.numRuns, ms };
}

// ---- cells ----

function cellsOf(bugs) {
  const cells = [];
  for (const bug of bugs) {
    for (const strategy of STRATEGIES) {
      if (ONLY_STRATEGIES !== undefined && !ONLY_STRATEGIES.includes(strategy.key)) continue;
      const seeds = strategy.deterministic ? 1 : (bug.seeds?.[strategy.key] ?? SEEDS);
      const expectedSeeds = strategy.deterministic ? 1 : Math.min(seeds, STOP_AFTER);
      const runs = { dfs: bug.dfsRuns, delay: bug.delayRuns }[strategy.key] ?? RUNS;
      cells.push({ type: 'find', bug: bug.id, strategy: strategy.key, seeds, runs, cost: bug.msPerRun * runs * expectedSeeds });
    }
    if (ONLY_STRATEGIES !== undefined) continue;
    if (FC_BUGS[bug.id] !== undefined) cells.push({ type: 'fc', bug: bug.id, strategy: 'fc', seeds: SEEDS, cost: bug.msPerRun * RUNS * STOP_AFTER });
    const dfsRuns = bug.fixedDfsRuns ?? FIXED_DFS_RUNS;
    cells.push({ type: 'fixed', bug: bug.id, strategy: 'dfs', runs: dfsRuns, cost: bug.msPerRun * dfsRuns });
    const delayRuns = bug.fixedDelayRuns ?? bug.fixedDfsRuns ?? FIXED_DFS_RUNS;
    cells.push({ type: 'fixed', bug: bug.id, strategy: 'delay', runs: delayRuns, cost: bug.msPerRun * Math.min(delayRuns, 5000) });
    cells.push({ type: 'fixed', bug: bug.id, strategy: 'portfolio', runs: RUNS, cost: bug.msPerRun * RUNS });
  }
  return cells.sort((a, b) => b.cost - a.cost);
}

async function runCell(cell) {
  const bug = BUGS.find((b) => b.id === cell.bug);
  const started = performance.now();
  let results;
  if (cell.type === 'fc') {
    results = await overSeeds(cell.seeds, (seed) => fastCheck(cell.bug, seed));
  } else if (cell.type === 'fixed') {
    const options = STRATEGIES.find((s) => s.key === cell.strategy).options;
    results = [await explore(bug, 'fixed', options, 1, cell.runs)];
  } else {
    const strategy = STRATEGIES.find((s) => s.key === cell.strategy);
    results = strategy.deterministic
      ? [await explore(bug, 'buggy', strategy.options, 1, cell.runs)]
      : await overSeeds(cell.seeds, (seed) => explore(bug, 'buggy', strategy.options, seed, RUNS));
  }
  return { ...cell, results, ms: performance.now() - started };
}

// ---- running the cells, in this process or in JOBS child processes ----

async function runAll(cells) {
  const done = [];
  const log = (c) =>
    process.stderr.write(
      `  ${c.type.padEnd(5)} ${c.bug.padEnd(16)} ${c.strategy.padEnd(9)} ${summary(c).padEnd(28)} ${(c.ms / 1000).toFixed(1)}s\n`,
    );
  if (JOBS === 1) {
    for (const cell of cells) {
      const result = await runCell(cell);
      log(result);
      done.push(result);
    }
    return done;
  }
  const queue = [...cells];
  const workers = Array.from({ length: Math.min(JOBS, cells.length) }, () => fork(fileURLToPath(import.meta.url), ['--worker']));
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise((resolve, reject) => {
          const next = () => {
            const cell = queue.shift();
            if (cell === undefined) {
              worker.disconnect();
              resolve();
            } else worker.send(cell);
          };
          worker.on('message', (message) => {
            if (message.error !== undefined) {
              reject(new Error(message.error));
              return;
            }
            log(message);
            done.push(message);
            next();
          });
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`a worker exited with code ${code}`));
          });
          next();
        }),
    ),
  );
  return done;
}

if (process.argv.includes('--worker')) {
  process.on('message', (cell) => {
    runCell(cell).then(
      (result) => process.send(result),
      (error) => process.send({ error: String(error?.stack ?? error) }),
    );
  });
} else {
  await main();
}

// ---- reporting ----

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function fmtRuns(n) {
  const whole = Math.round(n);
  return whole >= 10_000 ? whole.toLocaleString('en-US') : String(whole);
}

/** "160 (20/20)": median runs to the first violation over the seeds (not found counts as ∞) and how many found it. */
function summary(cell) {
  if (cell === undefined) return 'not run';
  const rs = cell.results;
  const found = rs.filter((r) => r.found).length;
  if (cell.type === 'fixed') {
    const r = rs[0];
    if (r.found) return `FAILED: ${r.kind} in run ${r.run}`;
    const v = r.verification?.[0];
    if (cell.strategy === 'portfolio' || v === undefined) return `pass (${fmtRuns(r.runs)} runs)`;
    return v.exhaustive
      ? `exhaustive: ${fmtRuns(v.schedules)} schedules`
      : `not exhaustive (${fmtRuns(r.runs)} runs; ${v.completedBound < 0 ? 'bound 0 not completed' : `bound ${v.completedBound} complete, ${fmtRuns(v.schedules)} schedules`})`;
  }
  const deterministic = STRATEGIES.find((s) => s.key === cell.strategy)?.deterministic === true;
  if (deterministic) {
    const r = rs[0];
    if (r.found) return fmtRuns(r.run);
    const v = r.verification?.[0];
    if (v?.exhaustive) return `— (bound ${v.bound} exhausted: ${fmtRuns(v.schedules)})`;
    const capped = r.runs < RUNS ? `${fmtRuns(r.runs)} runs, ` : '';
    return `— (${capped}${v === undefined || v.completedBound < 0 ? 'bound 0 not completed' : `bound ${v.completedBound} complete`})${r.runs < RUNS ? '†' : ''}`;
  }
  const med = median(rs.map((r) => (r.found ? r.run : Infinity)));
  const capped = cell.seeds < SEEDS ? '†' : '';
  return `${Number.isFinite(med) ? fmtRuns(med) : '—'} (${found}/${rs.length})${capped}`;
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

function report(done, wallMs) {
  const find = (type, bug, strategy) => done.find((c) => c.type === type && c.bug === bug && c.strategy === strategy);
  const headers = ['bug', ...STRATEGIES.map((s) => s.label), 'fc.scheduler()'];
  const rows = BUGS.map((bug) => [
    bug.id,
    ...STRATEGIES.map((s) => summary(find('find', bug.id, s.key))),
    find('fc', bug.id, 'fc') ? summary(find('fc', bug.id, 'fc')) : 'n/a',
  ]);
  const fixedRows = BUGS.map((bug) => [
    `${bug.id} (fixed)`,
    summary(find('fixed', bug.id, 'dfs')),
    summary(find('fixed', bug.id, 'delay')),
    summary(find('fixed', bug.id, 'portfolio')),
  ]);
  const foundByRows = BUGS.map((bug) => {
    const cell = find('find', bug.id, 'portfolio');
    const counts = {};
    for (const r of cell?.results ?? []) if (r.found) counts[r.foundBy] = (counts[r.foundBy] ?? 0) + 1;
    const text = Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ');
    return [bug.id, text === '' ? '—' : text];
  });
  const timeRows = BUGS.map((bug) => {
    const cells = done.filter((c) => c.bug === bug.id);
    const runs = cells.flatMap((c) => c.results.filter((r) => r.runs !== undefined && c.type !== 'fc'));
    const totalRuns = runs.reduce((a, r) => a + r.runs, 0);
    const totalMs = runs.reduce((a, r) => a + r.ms, 0);
    const cellMs = cells.reduce((a, c) => a + c.ms, 0);
    return [bug.id, (totalMs / totalRuns).toFixed(3), (cellMs / 1000).toFixed(0)];
  });
  const caps = BUGS.filter((b) => b.seeds !== undefined || b.dfsRuns !== undefined || b.delayRuns !== undefined || b.fixedDfsRuns !== undefined).map((b) => {
    const parts = [];
    if (b.seeds) parts.push(`seeds ${Object.entries(b.seeds).map(([k, v]) => `${STRATEGIES.find((s) => s.key === k).label} ${v}`).join(', ')}`);
    if (b.dfsRuns) parts.push(`dfs ${fmtRuns(b.dfsRuns)} runs`);
    if (b.delayRuns) parts.push(`delay ${fmtRuns(b.delayRuns)} runs`);
    if (b.fixedDfsRuns) parts.push(`on the fixed variant dfs ${fmtRuns(b.fixedDfsRuns)} runs, delay ${fmtRuns(b.fixedDelayRuns ?? b.fixedDfsRuns)} runs`);
    return `${b.id}: ${parts.join('; ')}`;
  });
  return [
    `Runs to first violation: median over seeds 1–${SEEDS} (not found counts as ∞), and how many seeds found it within ${fmtRuns(RUNS)} runs. "—": median not found.`,
    `A randomised cell stops after ${STOP_AFTER} seeds if none found the bug (count reads 0/${STOP_AFTER}). † fewer seeds on the largest instances (${caps.join('; ')}).`,
    'delay and dfs are deterministic: one exploration of up to 20,000 runs (†: fewer); "— (bound 2 exhausted: n)" means every schedule within the bound ran without a violation.',
    '',
    table(headers, rows),
    '',
    `Fixed variants: dfs (preemption bound 2) and delay (bound 2), each up to ${fmtRuns(FIXED_DFS_RUNS)} runs unless capped above; "schedules" is every schedule within the bound. Portfolio: ${fmtRuns(RUNS)} runs, seed 1, must pass.`,
    '',
    table(['fixed variant', 'dfs (preemptions ≤ 2)', 'delay (delays ≤ 2)', 'portfolio'], fixedRows),
    '',
    'Which portfolio member found each bug (over the seeds):',
    '',
    table(['bug', 'portfolio: found by'], foundByRows),
    '',
    'Cost: mean milliseconds per race-hunt run (all cells of the bug), and CPU seconds spent on the bug:',
    '',
    table(['bug', 'ms/run', 's'], timeRows),
    '',
    `Total wall time ${(wallMs / 60_000).toFixed(1)} min with ${JOBS} worker process(es).`,
  ].join('\n');
}

/** The commit dist/ was built from, marked when src/ has uncommitted changes. */
function revision() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: BUGS_DIR, encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', '../../src') === '' ? '' : ' (src/ modified)'}`;
  } catch {
    return 'unknown commit';
  }
}

async function main() {
  const started = performance.now();
  const builtFrom = revision();
  const cells = cellsOf(BUGS);
  process.stderr.write(`bug-finding benchmark: ${BUGS.length} bugs, ${cells.length} cells, ${JOBS} worker(s)\n`);
  const done = await runAll(cells);
  const text = report(done, performance.now() - started);
  const header = [
    `Command: \`npm run bench:bugs\` (node bench/bug-finding.mjs${JOBS === 2 ? '' : `, BENCH_JOBS=${JOBS}`}), race-hunt at ${builtFrom}`,
    `Date: ${new Date().toISOString().slice(0, 10)}`,
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), shared with other work; node ${process.version}`,
  ].join('  \n');
  process.stdout.write(`\n${header}\n\n${text}\n`);
  if (ONLY !== undefined || ONLY_STRATEGIES !== undefined) return;
  const START = '<!-- results:start (written by bench/bug-finding.mjs) -->';
  const END = '<!-- results:end -->';
  const block = `${START}\n${header}\n\n${text}\n${END}`;
  const previous = existsSync(REPORT_FILE) ? readFileSync(REPORT_FILE, 'utf8') : '';
  const at = previous.indexOf(START);
  const end = previous.indexOf(END);
  const next =
    at >= 0 && end > at
      ? previous.slice(0, at) + block + previous.slice(end + END.length)
      : `# Bug-finding benchmark (SCTBench ports)\n\n${block}\n`;
  writeFileSync(REPORT_FILE, next);
  process.stderr.write(`wrote ${REPORT_FILE}\n`);
}
