// Start-up benchmark of the transform cache: how long `race-hunt run` takes, start to exit, on a
// tiny scenario that imports TypeScript's compiler (`typescript`, one 9 MB CommonJS file), measured
// side by side in one process and interleaved round by round, so that a noisy machine shifts all
// variants alike. Quote the medians and ratios it prints, never one time.
//
//   npm run bench:cache                              (builds dist/, then runs this file)
//   BENCH_ROUNDS=7 BENCH_STRATEGY=dpor node bench/transform-cache.mjs
//
// Variants, each a fresh `node bin/race-hunt.js run tiny.scenario.ts --runs 1` in a scratch
// project whose node_modules holds race-hunt and typescript (links to this repository's):
//   off     --instrument typescript, RACE_HUNT_CACHE=0: instrumented at every start (as before the cache)
//   cold    --instrument typescript, the cache emptied first: instrumented, and the result stored
//   warm    --instrument typescript, the entry in place: read back
//   native  typescript not instrumented (the scenario file still is): the floor the cache aims at
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'race-hunt.js');
const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 5);
const STRATEGY = process.env.BENCH_STRATEGY ?? 'random';

function positiveInt(text, fallback) {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const SCENARIO = `import ts from 'typescript';
import { scenario } from 'race-hunt';

export default scenario('tiny', {
  setup: () => ({ n: 0 }),
  tasks: {
    a: async (s) => { await Promise.resolve(); s.n += ts.version.length > 0 ? 1 : 0; },
    b: async (s) => { await Promise.resolve(); s.n += 1; },
  },
  invariant: (s) => s.n === 2,
});
`;

const project = mkdtempSync(join(os.tmpdir(), 'rh-bench-cache-'));
writeFileSync(join(project, 'package.json'), '{ "name": "bench-cache", "private": true, "type": "module" }\n');
writeFileSync(join(project, 'tiny.scenario.ts'), SCENARIO);
mkdirSync(join(project, 'node_modules'));
symlinkSync(ROOT, join(project, 'node_modules', 'race-hunt'), 'dir');
symlinkSync(join(ROOT, 'node_modules', 'typescript'), join(project, 'node_modules', 'typescript'), 'dir');
const cacheDir = join(project, 'node_modules', '.cache', 'race-hunt');

const BASE_ARGS = ['run', 'tiny.scenario.ts', '--runs', '1', '--seed', '1', '--no-corpus', '--strategy', STRATEGY];
const VARIANTS = [
  { name: 'off', args: ['--instrument', 'typescript'], env: { RACE_HUNT_CACHE: '0' } },
  { name: 'cold', args: ['--instrument', 'typescript'], before: () => rmSync(cacheDir, { recursive: true, force: true }) },
  { name: 'warm', args: ['--instrument', 'typescript'] },
  { name: 'native', args: [] },
];

/** One start of race-hunt: wall time in ms (it must pass: the scenario's invariant holds). */
function start(variant) {
  variant.before?.();
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...BASE_ARGS, ...variant.args], {
    cwd: project,
    env: { ...process.env, NO_COLOR: '1', RACE_HUNT_DEBUG: 'cache', ...variant.env },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${variant.name}: exit ${result.status}\n${result.stdout}\n${result.stderr}`);
  // The debug log says what the cache did with typescript.js: check it did what the variant means.
  const event = /race-hunt cache: (hit|miss) \S*typescript\.js /.exec(result.stderr)?.[1] ?? 'none';
  const expected = { off: 'none', cold: 'miss', warm: 'hit', native: 'none' }[variant.name];
  if (event !== expected) throw new Error(`${variant.name}: the cache's event for typescript.js was ${event}, not ${expected}\n${result.stderr}`);
  return ms;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The bytes the cache's entries take (after the last start: typescript.js's entry). */
function entryBytes() {
  try {
    return readdirSync(cacheDir)
      .filter((name) => name.endsWith('.entry'))
      .reduce((sum, name) => sum + statSync(join(cacheDir, name)).size, 0);
  } catch {
    return 0;
  }
}

/**
 * Where a warm start's time goes: V8 compiling typescript.js as Node's CommonJS loader wraps it, as
 * shipped, as instrumented without its inline source map, and as instrumented (the cache's entry).
 */
function compileTimes() {
  const entry = readdirSync(cacheDir).find((name) => name.endsWith('.entry'));
  const stored = readFileSync(join(cacheDir, entry), 'utf8');
  const instrumented = stored.slice(stored.indexOf('\n') + 1);
  const shipped = readFileSync(createRequire(join(project, 'x.js')).resolve('typescript'), 'utf8');
  const texts = {
    shipped,
    'instrumented, map cut off': instrumented.slice(0, instrumented.lastIndexOf('//# sourceMappingURL=')),
    instrumented,
  };
  return Object.entries(texts).map(([name, text]) => {
    const ms = [1, 2, 3].map((i) => {
      const started = performance.now();
      new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${text}\n});`, { filename: `${name}-${i}.js` });
      return performance.now() - started;
    });
    return { name, mb: text.length / 1024 / 1024, ms: median(ms) };
  });
}

/**
 * Whether small files are worth caching: per file, in this process, the instrumenter's time
 * against a hit's (hashing the text and reading the entry) and a miss's extra (writing the
 * entry), over JavaScript files of node_modules that the instrumenter rewrites, by size.
 */
async function perFileCosts() {
  const { instrumentSource } = await import(join(ROOT, 'dist', 'instrument', 'transform.js'));
  const { readEntry, writeEntry } = await import(join(ROOT, 'dist', 'instrument', 'transform-cache-entry.js'));
  const BANDS = [[0, 4], [4, 16], [16, 64], [64, 256], [256, 4096]].map(([lo, hi]) => ({ lo, hi, rows: [] }));
  const dir = join(project, 'per-file');
  mkdirSync(dir);
  const files = readdirSync(join(ROOT, 'node_modules'), { recursive: true }).filter((f) => f.endsWith('.js') && !f.startsWith('.'));
  for (const file of files) {
    if (BANDS.every((b) => b.rows.length >= 40)) break;
    const path = join(ROOT, 'node_modules', file);
    let text;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const band = BANDS.find((b) => text.length >= b.lo * 1024 && text.length < b.hi * 1024);
    if (band === undefined || band.rows.length >= 40 || !/\bawait\b/.test(text)) continue;
    const instrumented = instrumentSource(text, path, file);
    if (instrumented === undefined) continue;
    const timed = (fn) =>
      median(
        [1, 2, 3].map(() => {
          const started = performance.now();
          fn();
          return performance.now() - started;
        }),
      );
    const key = createHash('sha256').update(text).digest('hex');
    const entry = join(dir, `${key}.entry`);
    const write = timed(() => writeEntry(entry, key, { kind: 'instrumented', code: instrumented.code }));
    const hit = timed(() => {
      createHash('sha256').update(file).update(text).digest('hex');
      readEntry(entry, key);
    });
    band.rows.push({ transform: timed(() => instrumentSource(text, path, file)), hit, write });
  }
  return BANDS.filter((b) => b.rows.length > 0).map((b) => ({
    band: `${b.lo}–${b.hi} KB`,
    files: b.rows.length,
    transform: median(b.rows.map((r) => r.transform)),
    hit: median(b.rows.map((r) => r.hit)),
    write: median(b.rows.map((r) => r.write)),
    hitSlower: b.rows.filter((r) => r.hit >= r.transform).length,
  }));
}

const times = Object.fromEntries(VARIANTS.map((v) => [v.name, []]));
let cachedBytes = 0;
let perFile = [];
let compiles = [];
try {
  // One unmeasured start of each, so the file system cache holds every file alike.
  for (const variant of VARIANTS) start(variant);
  for (let round = 1; round <= ROUNDS; round++) {
    // Rotate the order each round: no variant always runs right after another.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    for (const variant of order) {
      times[variant.name].push(start(variant));
    }
    process.stderr.write(`round ${round}: ${VARIANTS.map((v) => `${v.name} ${Math.round(times[v.name].at(-1))} ms`).join(' · ')}\n`);
  }
  cachedBytes = entryBytes();
  compiles = compileTimes();
  perFile = await perFileCosts();
} finally {
  rmSync(project, { recursive: true, force: true });
}

const med = Object.fromEntries(Object.entries(times).map(([name, xs]) => [name, median(xs)]));
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
} catch {
  // not a git checkout
}
console.log(
  [
    `Command: \`npm run bench:cache\` (node bench/transform-cache.mjs), race-hunt at ${commit}, --strategy ${STRATEGY}  `,
    `Date: ${new Date().toISOString().slice(0, 10)}  `,
    `Machine: ${os.cpus().length} cores, shared with other work; node ${process.version}; ${ROUNDS} rounds`,
    '',
    '| variant | median start to exit | × native | all runs (s) |',
    '|:--|--:|--:|:--|',
    ...VARIANTS.map((v) => `| ${v.name} | ${fmt(med[v.name])} | ${(med[v.name] / med.native).toFixed(2)}× | ${times[v.name].map((ms) => (ms / 1000).toFixed(2)).join(' ')} |`),
    '',
    `warm ÷ off: ${(med.warm / med.off).toFixed(2)} · cold ÷ off: ${(med.cold / med.off).toFixed(2)} · warm − native: ${fmt(med.warm - med.native)} · entry for typescript.js: ${(cachedBytes / 1024 / 1024).toFixed(1)} MB`,
    '',
    'V8 compiling typescript.js (`vm.Script` with the CommonJS wrapper, median of 3, in this process):',
    '',
    '| text | size | compile |',
    '|:--|--:|--:|',
    ...compiles.map((c) => `| ${c.name} | ${c.mb.toFixed(1)} MB | ${Math.round(c.ms)} ms |`),
    '',
    'Per file, by size (node_modules .js files the instrumenter rewrites, ≤ 40 per band; medians; a hit = hash + read):',
    '',
    '| size | files | instrument | hit | miss: write | files where a hit is not faster |',
    '|:--|--:|--:|--:|--:|--:|',
    ...perFile.map((b) => `| ${b.band} | ${b.files} | ${b.transform.toFixed(2)} ms | ${b.hit.toFixed(3)} ms | ${b.write.toFixed(3)} ms | ${b.hitSlower} |`),
  ].join('\n'),
);
