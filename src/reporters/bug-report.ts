import type { FailureRecord } from '../failures/failure-record.js';
import { macrotaskWhat } from '../core/step.js';
import { elisionNote, FULL_TRACE } from './elide-trace.js';
import { shrinkSentence } from './format-shrink.js';
import { countOf, formatCount, formatTrace } from './format-trace.js';
import type { SourceLookup } from './palette.js';
import { escapeXml, swimlaneSvg } from './swimlane-svg.js';

/** The files of a bug report, by name within the report's directory. */
export interface BugReportFiles {
  readonly markdown: { readonly name: string; readonly text: string };
  readonly svg: { readonly name: string; readonly text: string };
  readonly html: { readonly name: string; readonly text: string };
}

function table(record: FailureRecord, source: SourceLookup): string[] {
  const rows = ['| # | task | step | location | source |', '|---|---|---|---|---|'];
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  record.trace.forEach((step, i) => {
    const what = step.kind === 'start' ? 'starts' : step.kind === 'timer' ? macrotaskWhat(step) : 'resumes';
    const mark = step.preemption === true ? ' ⇢ preemption' : '';
    const code = step.location === undefined ? '' : (source(step.location) ?? '');
    rows.push(`| ${i + 1} | ${cell(step.task)} | ${what}${mark} | ${step.location === undefined ? '' : `\`${step.location}\``} | ${code === '' ? '' : `\`${cell(code)}\``} |`);
  });
  return rows;
}

function summaryLines(record: FailureRecord): string[] {
  const s = record.shrink;
  // The terminal's words (`shrinkSentence`), from what the file recorded.
  const shrunk =
    s === undefined
      ? 'not shrunk'
      : shrinkSentence({
          from: record.original,
          to: record,
          minimal: s.minimal,
          cutShort: s.cutShort,
          runs: s.runs,
          ...(s.minimalSteps === undefined ? {} : { minimalSteps: s.minimalSteps }),
          ...(s.durationMs === undefined ? {} : { durationMs: s.durationMs }),
          ...(s.budgetMs === undefined ? {} : { budgetMs: s.budgetMs }),
        });
  return [
    `- **Scenario:** ${record.scenario.name} (\`${record.scenario.file}\`)`,
    `- **Violation:** ${record.violation.kind}: ${record.violation.message}`,
    // The terminal's words: "found in run 4 by pct(d=3)", "10 steps, 1 preemption".
    `- **Found:** found in run ${formatCount(record.exploration.run)} by ${record.exploration.foundBy} (strategy ${record.exploration.strategy}, seed ${record.exploration.seed})`,
    `- **Schedule:** ${countOf(record.steps, 'step')}, ${countOf(record.preemptions, 'preemption')}; ${shrunk}`,
  ];
}

/**
 * A self-contained bug report for one saved failure: Markdown to paste into an issue (with
 * the swimlane SVG beside it), and an HTML page with the same content and the SVG inline.
 */
export function bugReport(record: FailureRecord, slug: string, source: SourceLookup): BugReportFiles {
  const title = `race-hunt: ${record.violation.kind} in "${record.scenario.name}"`;
  const svg = swimlaneSvg(record.trace, record.scenario.name, `${record.violation.kind}: ${record.violation.message}`, source);
  const environment = [
    `- race-hunt ${record.raceHunt}, Node ${record.node}`,
    `- options: --max-steps ${record.options.maxSteps}, --timers ${record.options.timers}${record.options.instrument.map((p) => `, --instrument ${p}`).join('')}`,
    `- found ${record.createdAt}`,
  ];
  const blocked = (record.violation.blocked ?? []).map(
    (b) =>
      `- ${b.task} waits ${b.location === undefined ? 'outside instrumented code' : `at \`${b.location}\``}${(b.via ?? []).map((v) => `, via \`${v}\``).join('')}`,
  );
  const markdown = [
    `# ${title}`,
    '',
    ...summaryLines(record),
    '',
    `![interleaving](${slug}.svg)`,
    '',
    '## Trace',
    '',
    ...table(record, source),
    ...(blocked.length === 0 ? [] : ['', '## Blocked', '', ...blocked]),
    '',
    '## Replay',
    '',
    '```sh',
    record.replay,
    '```',
    '',
    '## Environment',
    '',
    ...environment,
    '',
  ].join('\n');
  // Every step, as in the Markdown table: a report is read to find the step that matters, so no stretch is collapsed.
  const traceText = formatTrace(record.trace, source, undefined, { limits: FULL_TRACE, note: (n) => elisionNote(n, undefined) }).join('\n');
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:24px;color:#1f2933}pre{background:#f4f6f8;padding:12px;overflow:auto}.diagram{overflow:auto;border:1px solid #cbd2d9}</style>',
    '</head><body>',
    `<h1>${escapeXml(title)}</h1>`,
    `<ul>${summaryLines(record)
      .map((l) => `<li>${escapeXml(l.replace(/^- /, '').replace(/\*\*/g, '').replace(/`/g, ''))}</li>`)
      .join('')}</ul>`,
    `<div class="diagram">${svg}</div>`,
    '<h2>Trace</h2>',
    `<pre>${escapeXml(traceText)}</pre>`,
    ...(blocked.length === 0 ? [] : ['<h2>Blocked</h2>', `<ul>${blocked.map((l) => `<li>${escapeXml(l.replace(/^- /, '').replace(/`/g, ''))}</li>`).join('')}</ul>`]),
    '<h2>Replay</h2>',
    `<pre>${escapeXml(record.replay)}</pre>`,
    '<h2>Environment</h2>',
    `<ul>${environment.map((l) => `<li>${escapeXml(l.replace(/^- /, ''))}</li>`).join('')}</ul>`,
    '</body></html>',
    '',
  ].join('\n');
  return {
    markdown: { name: `${slug}.md`, text: markdown },
    svg: { name: `${slug}.svg`, text: `${svg}\n` },
    html: { name: `${slug}.html`, text: html },
  };
}
