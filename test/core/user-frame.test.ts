import { describe, expect, it } from 'vitest';
import { displayPath } from '../../src/core/display-path.js';
import { firstUserFrame } from '../../src/core/user-frame.js';

const CWD = '/work/app';

describe('displayPath', () => {
  it('is relative inside cwd, absolute outside, and accepts file: URLs', () => {
    expect(displayPath('/work/app/src/a.ts', CWD)).toBe('src/a.ts');
    expect(displayPath('file:///work/app/src/a.ts', CWD)).toBe('src/a.ts');
    expect(displayPath('/work/application/a.ts', CWD)).toBe('/work/application/a.ts');
    expect(displayPath('/elsewhere/b.ts', CWD)).toBe('/elsewhere/b.ts');
  });
});

describe('firstUserFrame', () => {
  const stack = (...frames: string[]): string => ['Error: boom', ...frames.map((f) => `    at ${f}`)].join('\n');

  it('returns the first frame in the user’s own code, relative to cwd', () => {
    const s = stack(
      'Object.<anonymous> (/work/app/node_modules/lib/index.js:1:2)',
      'fire (/opt/race-hunt/dist/runtime/virtual-timeout.js:33:14)',
      'work (/work/app/src/job.ts:12:7)',
      'main (/work/app/src/main.ts:3:1)',
    );
    expect(firstUserFrame(s, CWD, '/opt/race-hunt')).toBe('src/job.ts:12:7');
  });

  it('reads file: URLs and frames without a function name', () => {
    expect(firstUserFrame(stack('file:///work/app/a.mts:4:9'), CWD)).toBe('a.mts:4:9');
    expect(firstUserFrame(stack('async f (file:///elsewhere/b.ts:1:1)'), CWD)).toBe('/elsewhere/b.ts:1:1');
  });

  it('skips the first line (the message) even when it looks like a location', () => {
    expect(firstUserFrame('Error: at /work/app/x.ts:1:1\n    at g (/work/app/y.ts:2:2)', CWD)).toBe('y.ts:2:2');
  });

  it('counts a dependency’s frame as the user’s when it runs instrumented (--instrument), and only then', () => {
    const s = stack('fire (/opt/race-hunt/dist/runtime/virtual-timeout.js:33:14)', 'sleep (/work/app/node_modules/timer-lib/index.js:3:34)', 'work (/work/app/src/job.ts:12:7)');
    const instrumented = (file: string): boolean => file.includes('/node_modules/timer-lib/');
    expect(firstUserFrame(s, CWD, '/opt/race-hunt', instrumented)).toBe('node_modules/timer-lib/index.js:3:34');
    expect(firstUserFrame(s, CWD, '/opt/race-hunt', () => false)).toBe('src/job.ts:12:7');
    expect(firstUserFrame(s, CWD, '/opt/race-hunt')).toBe('src/job.ts:12:7');
  });

  it('is undefined when no frame is the user’s', () => {
    expect(firstUserFrame(stack('x (/work/app/node_modules/a/b.js:1:1)', 'y (node:events:1:1)'), CWD)).toBeUndefined();
    expect(firstUserFrame('', CWD)).toBeUndefined();
  });

  // Was a bug: a Node-internal frame such as `node:internal/modules/esm/loader:376:13` matches as the
  // path `/modules/esm/loader`, so errors thrown inside Node's loader are reported as
  // "(at /modules/esm/loader:376:13)", a location in nobody's code.
  it('skips Node-internal frames (node:internal/…)', () => {
    const s = stack('ModuleLoader.importSyncForRequire (node:internal/modules/esm/loader:376:13)', 'run (/work/app/src/a.ts:5:3)');
    expect(firstUserFrame(s, CWD)).toBe('src/a.ts:5:3');
  });
});
