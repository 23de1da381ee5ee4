import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceStep } from '../../src/core/step.js';
import { bugReport } from '../../src/reporters/bug-report.js';
import { swimlaneSvg } from '../../src/reporters/swimlane-svg.js';
import { failureRecord } from '../support/records.js';

// A three-task interleaving with two preemptions, ending in the violating step.
const trace: TraceStep[] = [
  { kind: 'start', task: 'alice' },
  { kind: 'resume', task: 'alice', location: 'src/a.ts:2:3' },
  { kind: 'start', task: 'bob', preemption: true },
  { kind: 'resume', task: 'bob', location: 'src/a.ts:2:3' },
  { kind: 'start', task: 'carol', preemption: true },
  { kind: 'timer', task: 'carol', location: 'src/a.ts:9:1', time: 50 },
  { kind: 'resume', task: 'alice', location: 'src/a.ts:4:3' },
];
const source = (location: string): string | undefined => (location === 'src/a.ts:2:3' ? 'const v = await load();' : undefined);

describe('the swimlane SVG, parsed as XML', () => {
  it('is well-formed, has one lane per task, every step in its lane, preemptions and the violating step marked', () => {
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(
      swimlaneSvg(trace, 'a <scenario>', 'invariant: "x" & y', source),
      'image/svg+xml',
    );
    expect(errors).toEqual([]);
    const svg = doc.documentElement!;
    expect(svg.tagName).toBe('svg');
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    const groups = Array.from(svg.getElementsByTagName('g'));
    const lanes = groups.filter((g) => g.getAttribute('class') === 'lane');
    expect(lanes.map((g) => g.getAttribute('data-lane'))).toEqual(['alice', 'bob', 'carol']);
    const steps = groups.filter((g) => g.getAttribute('class') === 'step');
    expect(steps.map((g) => g.getAttribute('data-task'))).toEqual(trace.map((s) => s.task));
    expect(steps.filter((g) => g.getAttribute('data-preemption') === 'true').map((g) => g.getAttribute('data-step'))).toEqual(['3', '5']);
    expect(steps.filter((g) => g.getAttribute('data-violation') === 'true').map((g) => g.getAttribute('data-step'))).toEqual(['7']);
    // Each step's box sits inside its task's lane, and steps go left to right.
    const laneTop = new Map(lanes.map((g) => [g.getAttribute('data-lane'), Number(g.getElementsByTagName('rect')[0]!.getAttribute('y'))]));
    const boxes = steps.map((g) => g.getElementsByTagName('rect')[0]!);
    boxes.forEach((box, i) => {
      const y = Number(box.getAttribute('y'));
      const top = laneTop.get(trace[i]!.task)!;
      expect(y).toBeGreaterThan(top);
      expect(y).toBeLessThan(top + 44);
      if (i > 0) expect(Number(box.getAttribute('x'))).toBeGreaterThan(Number(boxes[i - 1]!.getAttribute('x')));
    });
    // The tooltip of a resume names its await and quotes the source line.
    expect(steps[1]!.getElementsByTagName('title')[0]!.textContent).toBe('2. alice resumes at src/a.ts:2:3\nconst v = await load();');
  });
});

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
// In CI the browser must be there (.ci/run installs it); elsewhere `npm test` installs it when it can.
const browserIt = haveChromium || process.env.CI === 'true' ? it : it.skip;

describe('the HTML bug report in a real headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rh-render-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  browserIt('renders the swimlanes: each lane shows its colour and its task’s step boxes, the violating step in red', async () => {
    const record = failureRecord({ trace });
    const files = bugReport(record, 'render', source);
    const page = join(dir, files.html.name);
    writeFileSync(page, files.html.text);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await tab.goto(`file://${page}`);
      const lanes = tab.locator('svg g.lane');
      expect(await lanes.count()).toBe(3);
      for (const [index, task] of ['alice', 'bob', 'carol'].entries()) {
        const lane = tab.locator(`svg g.lane[data-lane="${task}"]`);
        const png = PNG.sync.read(await lane.screenshot());
        const boxes = trace.filter((s, i) => s.task === task && s.preemption !== true && i !== trace.length - 1).length;
        // The lane's own colour: its bar at the left edge, and its step boxes.
        const laneColour = ['#2b8cbe', '#8856a7', '#31a354'][index]!;
        expect(countColour(png, laneColour)).toBeGreaterThan(100 + boxes * 300);
        expect((await lane.textContent())?.trim()).toBe(task);
      }
      // The violating step is drawn red, the preemptions orange, in the page as rendered.
      const diagram = PNG.sync.read(await tab.locator('svg').screenshot());
      expect(countColour(diagram, '#d7301f')).toBeGreaterThan(300);
      expect(countColour(diagram, '#fd8d3c')).toBeGreaterThan(2 * 300);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

/** Pixels within a small tolerance of `hex` (anti-aliasing aside). */
function countColour(png: PNG, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let count = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs(png.data[i]! - r) < 6 && Math.abs(png.data[i + 1]! - g) < 6 && Math.abs(png.data[i + 2]! - b) < 6) count++;
  }
  return count;
}
