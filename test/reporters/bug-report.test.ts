import { describe, expect, it } from 'vitest';
import { bugReport } from '../../src/reporters/bug-report.js';
import { escapeXml, swimlaneSvg } from '../../src/reporters/swimlane-svg.js';
import { failureRecord } from '../support/records.js';

const source = (location: string): string | undefined => (location === 'src/account.ts:2:3' ? 'if (a < b && c) await <x>;' : undefined);

describe('escapeXml', () => {
  it('escapes the five XML specials and nothing else', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a> ✓`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt; ✓');
  });
});

describe('swimlaneSvg', () => {
  it('draws one lane per task and one box per step, marking preemptions and the violating step', () => {
    const record = failureRecord();
    const svg = swimlaneSvg(record.trace, 'bank <1>', 'invariant: x & y', source);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('data-steps="3" data-lanes="2"');
    expect(svg.match(/class="lane"/g)).toHaveLength(2);
    expect(svg.match(/class="step"/g)).toHaveLength(3);
    expect(svg).toContain('data-step="2" data-task="bob" data-preemption="true"');
    expect(svg).toContain('data-step="3" data-task="alice" data-violation="true"');
    expect(svg).toContain('<title>bank &lt;1&gt;</title>');
    expect(svg).toContain('✘ invariant: x &amp; y');
    expect(svg).toContain('if (a &lt; b &amp;&amp; c) await &lt;x&gt;;');
    // No raw specials inside text: every < opens a tag.
    for (const m of svg.matchAll(/<(?![a-z/!?])/g)) throw new Error(`unescaped < at ${m.index}`);
  });
});

describe('bugReport', () => {
  it('writes Markdown, SVG and HTML that say what failed, how it was found, and how to replay it', () => {
    const record = failureRecord({ violation: { kind: 'deadlock', message: 'alice waits forever', blocked: [{ task: 'alice', location: 'src/account.ts:2:3' }, { task: 'bob' }] } });
    const files = bugReport(record, 'bank-1234abcd', source);
    expect([files.markdown.name, files.svg.name, files.html.name]).toEqual(['bank-1234abcd.md', 'bank-1234abcd.svg', 'bank-1234abcd.html']);
    const md = files.markdown.text;
    expect(md.startsWith('# race-hunt: deadlock in "bank: <two> credits & "more""\n')).toBe(true);
    expect(md).toContain('- **Found:** found in run 17 by pct(d=2) (strategy portfolio, seed 42)');
    expect(md).toContain('- **Schedule:** 3 steps, 1 preemption; shrunk from 9 steps / 3 preemptions to 3 steps / 1 preemption');
    expect(md).toContain('— fewest preemptions: no schedule with fewer fails this way; fewer steps were not searched');
    expect(md).toContain('![interleaving](bank-1234abcd.svg)');
    expect(md).toContain('| 2 | bob | starts ⇢ preemption |  |  |');
    expect(md).toContain('| 3 | alice | resumes | `src/account.ts:2:3` | `if (a < b && c) await <x>;` |');
    expect(md).toContain('- alice waits at `src/account.ts:2:3`\n- bob waits outside instrumented code');
    expect(md).toContain(`\`\`\`sh\n${record.replay}\n\`\`\``);
    expect(md).toContain('- options: --max-steps 10000, --timers fuzz');
    expect(files.svg.text).toBe(`${swimlaneSvg(record.trace, record.scenario.name, 'deadlock: alice waits forever', source)}\n`);
    const html = files.html.text;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>race-hunt: deadlock in &quot;bank: &lt;two&gt; credits &amp; &quot;more&quot;&quot;</title>');
    expect(html).toContain('<svg xmlns');
    expect(html).toContain(`<pre>${escapeXml(record.replay)}</pre>`);
  });

  it('says "not shrunk" for a failure as found', () => {
    const { shrink: _shrink, ...unshrunk } = failureRecord();
    expect(bugReport(unshrunk, 's', source).markdown.text).toContain('3 steps, 1 preemption; not shrunk');
  });
});
