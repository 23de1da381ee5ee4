import type { TraceStep } from '../core/step.js';
import { macrotaskWhat } from '../core/step.js';
import type { SourceLookup } from './palette.js';

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const LANE_HEIGHT = 44;
const LABEL_WIDTH = 140;
const TOP = 56;
const STEP_WIDTH = 34;
const BOX = 26;
const LANE_COLOURS = ['#2b8cbe', '#8856a7', '#31a354', '#3182bd', '#756bb1', '#636363'];

/**
 * The interleaving as an SVG swimlane diagram: one horizontal lane per task, one box per
 * step in order from left to right, a line following the execution from box to box.
 * Preemptions are drawn orange with a "⇢" mark, the violating (last) step red with "✘".
 * Every box has a tooltip with its location and source line. Elements carry `data-*`
 * attributes (lane, step, preemption, violation) so tools and tests can read the diagram.
 */
export function swimlaneSvg(trace: readonly TraceStep[], title: string, violation: string, source: SourceLookup): string {
  const tasks = [...new Set(trace.map((s) => s.task))];
  // Wide enough for the steps, and for the title, violation and legend lines.
  const width = Math.max(LABEL_WIDTH + Math.max(1, trace.length) * STEP_WIDTH + 40, 640, 24 + 7 * Math.max(title.length, violation.length + 2));
  const height = TOP + tasks.length * LANE_HEIGHT + 44;
  const laneY = (task: string): number => TOP + tasks.indexOf(task) * LANE_HEIGHT;
  const centre = (index: number, step: TraceStep): [number, number] => [LABEL_WIDTH + index * STEP_WIDTH + STEP_WIDTH / 2, laneY(step.task) + LANE_HEIGHT / 2];

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-sans-serif, system-ui, sans-serif" font-size="12" data-steps="${trace.length}" data-lanes="${tasks.length}">`,
  );
  parts.push(`<title>${escapeXml(title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="12" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(`<text x="12" y="42" fill="#b30000">✘ ${escapeXml(violation)}</text>`);

  tasks.forEach((task, i) => {
    const y = laneY(task);
    const colour = LANE_COLOURS[i % LANE_COLOURS.length]!;
    parts.push(
      `<g class="lane" data-lane="${escapeXml(task)}"><rect x="0" y="${y}" width="${width}" height="${LANE_HEIGHT}" fill="${i % 2 === 0 ? '#f4f6f8' : '#e9edf1'}"/>` +
        `<rect x="0" y="${y}" width="6" height="${LANE_HEIGHT}" fill="${colour}"/>` +
        `<text x="14" y="${y + LANE_HEIGHT / 2 + 4}" font-weight="bold" fill="${colour}">${escapeXml(task)}</text></g>`,
    );
  });

  const points = trace.map((step, index) => centre(index, step));
  if (points.length > 1) {
    parts.push(`<polyline class="flow" points="${points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" stroke="#9aa5b1" stroke-width="1.5"/>`);
  }

  trace.forEach((step, index) => {
    const [x, y] = points[index]!;
    const last = index === trace.length - 1;
    const preemption = step.preemption === true;
    const fill = last ? '#d7301f' : preemption ? '#fd8d3c' : LANE_COLOURS[tasks.indexOf(step.task) % LANE_COLOURS.length]!;
    const code = step.location === undefined ? undefined : source(step.location);
    const what = step.kind === 'start' ? 'starts' : step.kind === 'timer' ? macrotaskWhat(step) : `resumes at ${step.location ?? '?'}`;
    const tooltip = `${index + 1}. ${step.task} ${what}${preemption ? ' (preemption)' : ''}${code === undefined ? '' : `\n${code}`}`;
    const label = last ? '✘' : preemption ? '⇢' : String(index + 1);
    parts.push(
      `<g class="step" data-step="${index + 1}" data-task="${escapeXml(step.task)}"${preemption ? ' data-preemption="true"' : ''}${last ? ' data-violation="true"' : ''}>` +
        `<title>${escapeXml(tooltip)}</title>` +
        `<rect x="${x - BOX / 2}" y="${y - BOX / 2}" width="${BOX}" height="${BOX}" rx="5" fill="${fill}"${preemption || last ? ' stroke="#000000" stroke-width="1.5"' : ''}/>` +
        `<text x="${x}" y="${y + 4}" text-anchor="middle" fill="#ffffff" font-size="11">${label}</text></g>`,
    );
  });

  const legendY = height - 16;
  parts.push(
    `<g class="legend"><rect x="12" y="${legendY - 10}" width="12" height="12" rx="2" fill="#fd8d3c" stroke="#000"/><text x="30" y="${legendY}">preemption</text>` +
      `<rect x="120" y="${legendY - 10}" width="12" height="12" rx="2" fill="#d7301f" stroke="#000"/><text x="138" y="${legendY}">violating step</text>` +
      `<text x="250" y="${legendY}" fill="#52606d">steps run left to right; hover a box for its await</text></g>`,
  );
  parts.push('</svg>');
  return parts.join('\n');
}
