import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedTransform, MIN_CACHED_LENGTH, outcomeOf } from '../../src/instrument/transform-cache.js';
import type { TransformKey, TransformOutcome } from '../../src/instrument/transform-cache.js';
import { cacheTurnedOff, transformCacheDir } from '../../src/instrument/transform-cache-dir.js';
import { readEntry, writeEntry } from '../../src/instrument/transform-cache-entry.js';
import { sweep, sweepIfDue } from '../../src/instrument/transform-cache-sweep.js';
import type { SweepLimits } from '../../src/instrument/transform-cache-sweep.js';
import { instrumentSource } from '../../src/instrument/transform.js';
import { assertBuilt, ROOT } from '../support/dist-api.js';

const scratch = mkdtempSync(join(tmpdir(), 'rh-transform-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;
/** A fresh project folder with a `node_modules`, so its cache lives inside it. */
function project(): string {
  const dir = join(scratch, `project-${++projects}`);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  return dir;
}

/** A module big enough to be cached: `lines` functions with an await each. */
function bigSource(tag = 'a'): string {
  let text = '';
  for (let i = 0; text.length < MIN_CACHED_LENGTH + 100; i++) text += `export async function ${tag}${i}(x) {\n  return await x;\n}\n`;
  return text;
}

/** The real instrumenter, counting how often it runs. */
function counted(key: TransformKey): { transform: () => TransformOutcome; runs: () => number } {
  let runs = 0;
  return {
    transform: () => {
      runs++;
      return outcomeOf((onRefused) => instrumentSource(key.source, key.filePath, 'a.js', { onRefused }));
    },
    runs: () => runs,
  };
}

const entriesIn = (cwd: string): string[] => {
  const dir = join(cwd, 'node_modules', '.cache', 'race-hunt');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.entry')).map((name) => join(dir, name)) : [];
};

describe('cachedTransform', () => {
  it('instruments once, then answers from node_modules/.cache/race-hunt with the same outcome', () => {
    const cwd = project();
    const key: TransformKey = { source: bigSource(), filePath: join(cwd, 'a.js'), cwd, settings: { hook: 'module', track: false } };
    const first = counted(key);
    const outcome = cachedTransform(key, first.transform);
    expect(outcome.kind).toBe('instrumented');
    expect(first.runs()).toBe(1);
    expect(entriesIn(cwd)).toHaveLength(1);
    const second = counted(key);
    expect(cachedTransform(key, second.transform)).toEqual(outcome);
    expect(second.runs()).toBe(0);
  });

  it('misses when anything the output depends on differs: text, file, working directory, settings', () => {
    const cwd = project();
    const key: TransformKey = { source: bigSource(), filePath: join(cwd, 'a.js'), cwd, settings: { hook: 'module', track: false } };
    cachedTransform(key, counted(key).transform);
    const variants: TransformKey[] = [
      { ...key, source: `${key.source}// edited\n` },
      { ...key, filePath: join(cwd, 'b.js') },
      { ...key, cwd: project() },
      { ...key, settings: { hook: 'module', track: true } },
      { ...key, settings: { hook: 'commonjs', track: false } },
    ];
    for (const variant of variants) {
      const run = counted(variant);
      cachedTransform(variant, run.transform);
      expect(run.runs(), JSON.stringify({ ...variant, source: variant.source.length })).toBe(1);
    }
  });

  it('caches refusals and texts with nothing to rewrite as well', () => {
    const cwd = project();
    const refused: TransformKey = { source: `${bigSource()}const = 1;\n`, filePath: join(cwd, 'broken.js'), cwd, settings: {} };
    const plain: TransformKey = { source: `// await\n${'const x = 1;\n'.repeat(MIN_CACHED_LENGTH / 10)}`, filePath: join(cwd, 'plain.js'), cwd, settings: {} };
    for (const key of [refused, plain]) cachedTransform(key, counted(key).transform);
    const again = counted(refused);
    expect(cachedTransform(refused, again.transform)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('oxc-parser') });
    const plainAgain = counted(plain);
    expect(cachedTransform(plain, plainAgain.transform)).toEqual({ kind: 'unchanged' });
    expect(again.runs() + plainAgain.runs()).toBe(0);
  });

  it('keeps a large source map in a file beside the entry, which Node finds and maps stack frames through', () => {
    const cwd = project();
    const filePath = join(cwd, 'node_modules', 'big', 'index.js');
    mkdirSync(dirname(filePath));
    const last = 'async function last(x) { return await x; } throw new Error("boom");';
    const source = `${'async function f(x) { return await x; }\n'.repeat(6000)}${last}\n`;
    const key: TransformKey = { source, filePath, cwd, settings: {} };
    const outcome = cachedTransform(key, counted(key).transform);
    if (outcome.kind !== 'instrumented') throw new Error(`not instrumented: ${outcome.kind}`);
    const [entry] = entriesIn(cwd);
    const mapPath = entry!.replace(/\.entry$/, '.map');
    expect(outcome.code).toMatch(/\n\/\/# sourceMappingURL=\.\.\/\.cache\/race-hunt\/[0-9a-f]{64}\.map\n$/);
    expect(outcome.code).not.toContain('data:application/json');
    expect(JSON.parse(readFileSync(mapPath, 'utf8')).sources).toEqual([pathToFileURL(filePath).href]);

    // Node (with source maps on, as under tsx) reads the map and names the module's own file.
    writeFileSync(filePath, outcome.code);
    const child = spawnSync(process.execPath, ['--enable-source-maps', filePath], { encoding: 'utf8' });
    expect(child.stderr).toContain(`${filePath}:6001:${last.indexOf('new Error') + 1}`);
    const again = counted(key);
    expect(cachedTransform(key, again.transform)).toEqual(outcome);
    expect(again.runs()).toBe(0);

    // Without its map the entry is made again, map and all.
    rmSync(mapPath);
    const remade = counted(key);
    expect(cachedTransform(key, remade.transform)).toEqual(outcome);
    expect(remade.runs()).toBe(1);
    expect(existsSync(mapPath)).toBe(true);
  });

  it('never touches the disk for small files', () => {
    const cwd = project();
    const key: TransformKey = { source: 'export async function f(x) { return await x; }\n', filePath: join(cwd, 'a.js'), cwd, settings: {} };
    expect(cachedTransform(key, counted(key).transform).kind).toBe('instrumented');
    expect(existsSync(join(cwd, 'node_modules', '.cache'))).toBe(false);
  });

  it('ignores a damaged entry and writes it again', () => {
    const cwd = project();
    const key: TransformKey = { source: bigSource(), filePath: join(cwd, 'a.js'), cwd, settings: {} };
    const outcome = cachedTransform(key, counted(key).transform);
    const [entry] = entriesIn(cwd);
    const whole = statSync(entry!).size;
    const damages: ((path: string) => void)[] = [
      (path) => truncateSync(path, whole - 10), // cut short
      (path) => writeFileSync(path, 'not an entry'),
      (path) => writeFileSync(path, ''),
      (path) => writeFileSync(path, readFileSync(path, 'utf8').replace(/^(\S+ )[0-9a-f]{8}/, '$100000000')), // another key
    ];
    for (const damage of damages) {
      damage(entry!);
      const run = counted(key);
      expect(cachedTransform(key, run.transform)).toEqual(outcome);
      expect(run.runs()).toBe(1);
      expect(statSync(entry!).size).toBe(whole);
    }
  });

  it('stores nothing when the instrumenter throws, and lets the error through', () => {
    const cwd = project();
    const key: TransformKey = { source: bigSource(), filePath: join(cwd, 'a.js'), cwd, settings: {} };
    expect(() =>
      cachedTransform(key, () => {
        throw new Error('instrumenter bug');
      }),
    ).toThrow('instrumenter bug');
    expect(entriesIn(cwd)).toEqual([]);
  });

  it('still instruments when its folder cannot be written any more', () => {
    const cwd = project();
    const key: TransformKey = { source: bigSource(), filePath: join(cwd, 'a.js'), cwd, settings: {} };
    cachedTransform(key, counted(key).transform); // the folder is chosen
    const dir = join(cwd, 'node_modules', '.cache', 'race-hunt');
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'a file where the folder was');
    const run = counted(key);
    expect(cachedTransform(key, run.transform).kind).toBe('instrumented');
    expect(run.runs()).toBe(1);
  });

  it('is turned off by RACE_HUNT_CACHE=0', () => {
    const cwd = project();
    const key: TransformKey = { source: bigSource(), filePath: join(cwd, 'a.js'), cwd, settings: {} };
    const saved = process.env.RACE_HUNT_CACHE;
    process.env.RACE_HUNT_CACHE = '0';
    try {
      cachedTransform(key, counted(key).transform);
      const run = counted(key);
      cachedTransform(key, run.transform);
      expect(run.runs()).toBe(1);
      expect(existsSync(join(cwd, 'node_modules', '.cache'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.RACE_HUNT_CACHE;
      else process.env.RACE_HUNT_CACHE = saved;
    }
  });
});

describe('where the cache lives', () => {
  it('in the project’s node_modules/.cache/race-hunt, else in the temp directory', () => {
    const cwd = project();
    expect(transformCacheDir(cwd)).toBe(join(cwd, 'node_modules', '.cache', 'race-hunt'));
    const bare = join(scratch, 'no-node-modules');
    mkdirSync(bare, { recursive: true });
    expect(transformCacheDir(bare)).toMatch(new RegExp(`^${tmpdir()}/race-hunt-cache-`));
    const blocked = project();
    writeFileSync(join(blocked, 'node_modules', '.cache'), 'a file, not a folder');
    expect(transformCacheDir(blocked)).toMatch(new RegExp(`^${tmpdir()}/race-hunt-cache-`));
  });

  it('RACE_HUNT_CACHE turns it off with 0, false, off or no', () => {
    for (const value of ['0', 'false', 'OFF', ' no ']) expect(cacheTurnedOff({ RACE_HUNT_CACHE: value }), value).toBe(true);
    for (const value of [undefined, '', '1', 'on']) expect(cacheTurnedOff({ RACE_HUNT_CACHE: value }), value).toBe(false);
  });
});

describe('entries', () => {
  it('read back what was written, for the key they were written for only', () => {
    const dir = mkdtempSync(join(scratch, 'entries-'));
    const outcomes: TransformOutcome[] = [{ kind: 'instrumented', code: 'é ∀ 😀\n'.repeat(1000) }, { kind: 'unchanged' }, { kind: 'refused', reason: 'why' }];
    outcomes.forEach((outcome, index) => {
      const path = join(dir, `${index}.entry`);
      expect(writeEntry(path, 'k', outcome)).toBeUndefined();
      expect(readEntry(path, 'k')).toEqual(outcome);
      expect(readEntry(path, 'other')).toBeUndefined();
    });
    expect(readEntry(join(dir, 'absent.entry'), 'k')).toBeUndefined();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('report a write that fails instead of throwing, and leave no temporary file', () => {
    const dir = mkdtempSync(join(scratch, 'entries-'));
    const error = writeEntry(join(dir, 'missing-folder', 'x.entry'), 'k', { kind: 'unchanged' });
    expect(error).toBeInstanceOf(Error);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('mark an entry used when it is read after an hour', () => {
    const dir = mkdtempSync(join(scratch, 'entries-'));
    const path = join(dir, 'x.entry');
    writeEntry(path, 'k', { kind: 'unchanged' });
    const dayAgo = new Date(Date.now() - 24 * 3600_000);
    utimesSync(path, dayAgo, dayAgo);
    readEntry(path, 'k');
    expect(Date.now() - statSync(path).mtimeMs).toBeLessThan(60_000);
  });

  it('are never seen half written by readers in other threads', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(scratch, 'entries-'));
    const entryModule = pathToFileURL(join(ROOT, 'dist', 'instrument', 'transform-cache-entry.js')).href;
    // Each worker writes the same entry 30 times (4 MB each, one of two contents) and reads it in between.
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.entryModule).then(({ readEntry, writeEntry }) => {
        const texts = ['a'.repeat(4e6), 'b'.repeat(4e6)];
        let seen = 0, broken = 0;
        for (let i = 0; i < 30; i++) {
          writeEntry(workerData.path, 'k', { kind: 'instrumented', code: texts[(i + workerData.index) % 2] });
          const read = readEntry(workerData.path, 'k');
          if (read === undefined) continue;
          seen++;
          if (!texts.includes(read.code)) broken++;
        }
        parentPort.postMessage({ seen, broken });
      });`;
    const results = await Promise.all(
      [0, 1, 2, 3].map(
        (index) =>
          new Promise<{ seen: number; broken: number }>((resolve, reject) => {
            const worker = new Worker(code, { eval: true, workerData: { entryModule, path: join(dir, 'shared.entry'), index } });
            worker.once('message', resolve).once('error', reject);
          }),
      ),
    );
    expect(results.reduce((sum, r) => sum + r.broken, 0)).toBe(0);
    expect(results.reduce((sum, r) => sum + r.seen, 0)).toBe(120);
    expect(readdirSync(dir)).toEqual(['shared.entry']);
  });
});

describe('sweeping', () => {
  const MB = 1024 * 1024;
  const limits: SweepLimits = { maxBytes: 3 * MB, maxIdleMs: 10 * 24 * 3600_000, everyMs: 3600_000, strayMs: 3600_000 };
  const now = Date.now();

  /** A file of `size` bytes last used `ageMs` ago. */
  function file(dir: string, name: string, size: number, ageMs: number): void {
    writeFileSync(join(dir, name), Buffer.alloc(size));
    const time = new Date(now - ageMs);
    utimesSync(join(dir, name), time, time);
  }

  it('removes entries unused too long, then the least recently used over the size limit, and writers’ leftovers', () => {
    const dir = mkdtempSync(join(scratch, 'sweep-'));
    file(dir, 'stale.entry', 10, 11 * 24 * 3600_000);
    file(dir, 'old.entry', MB, 5 * 3600_000);
    file(dir, 'older.entry', MB, 6 * 3600_000);
    file(dir, 'recent.entry', MB, 1000);
    file(dir, 'newest.entry', MB, 0);
    file(dir, 'x.entry.1-0-abc.tmp', 10, 2 * 3600_000); // a crashed writer's
    file(dir, 'y.entry.2-0-def.tmp', 10, 1000); // being written now
    file(dir, 'unrelated.txt', 10, 30 * 24 * 3600_000);
    expect(sweep(dir, limits, now)).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(['newest.entry', 'old.entry', 'recent.entry', 'unrelated.txt', 'y.entry.2-0-def.tmp']);
  });

  it('takes a source map with its entry, counts it in the entry’s size, and removes a map left without one', () => {
    const dir = mkdtempSync(join(scratch, 'sweep-'));
    file(dir, 'kept.entry', MB, 1000);
    file(dir, 'kept.map', 10, 40 * 24 * 3600_000); // never touched: its entry's time is what counts
    file(dir, 'big.entry', 10, 2000);
    file(dir, 'big.map', 3 * MB, 2000); // the entry is small, its map puts the folder over the limit
    file(dir, 'stale.entry', 10, 11 * 24 * 3600_000);
    file(dir, 'stale.map', 10, 11 * 24 * 3600_000);
    file(dir, 'orphan.map', 10, 2 * 3600_000); // an entry that was never written
    file(dir, 'fresh.map', 10, 1000); // its entry is being written now
    expect(sweep(dir, limits, now)).toBe(5);
    expect(readdirSync(dir).sort()).toEqual(['fresh.map', 'kept.entry', 'kept.map']);
  });

  it('runs at most once per interval, whichever process ran it', () => {
    const dir = mkdtempSync(join(scratch, 'sweep-'));
    file(dir, 'stale.entry', 10, 11 * 24 * 3600_000);
    expect(sweepIfDue(dir, limits, now)).toBe(1);
    file(dir, 'stale.entry', 10, 11 * 24 * 3600_000);
    expect(sweepIfDue(dir, limits, now)).toBeUndefined();
    expect(sweepIfDue(dir, limits, now + 2 * 3600_000)).toBe(1);
  });
});
