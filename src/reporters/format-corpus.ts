import type { CorpusReport } from '../core/report.js';
import { countOf } from '../core/count.js';
import type { ReplayOptions } from '../core/replay-command.js';

/** `--max-steps 40, --timers strict`: every option, defaults included, since they are compared. */
export function optionsPhrase(options: ReplayOptions): string {
  return [`--max-steps ${options.maxSteps}`, `--timers ${options.timers}`, ...options.instrument.map((p) => `--instrument ${p}`)].join(', ');
}

/**
 * What replaying a scenario's saved failures found, for a person: nothing when there is
 * nothing beyond the reported failure; else one summary line and one line per file
 * (indented by the caller).
 */
export function corpusLines(corpus: CorpusReport): string[] {
  const lines: string[] = [];
  if (corpus.hitOptions !== undefined) {
    lines.push(`replayed with the options it was saved with (${optionsPhrase(corpus.hitOptions)}), not this run's`);
  }
  const others = corpus.failing.length + corpus.fixed.length + corpus.stale.length + corpus.unverified.length;
  if (others === 0) return lines;
  const pruned = new Set(corpus.pruned);
  const removal = (file: string): string => (pruned.has(file) ? 'removed (--prune-corpus)' : '--prune-corpus removes it');
  const counts = [
    ...(corpus.hit === undefined && corpus.failing.length === 0 ? [] : [`${corpus.failing.length + (corpus.hit === undefined ? 0 : 1)} still failing`]),
    ...(corpus.fixed.length === 0 ? [] : [`${corpus.fixed.length} fixed`]),
    ...(corpus.stale.length === 0 ? [] : [`${corpus.stale.length} stale`]),
    ...(corpus.unverified.length === 0 ? [] : [`${corpus.unverified.length} unverified`]),
  ];
  lines.push(`corpus: ${countOf(corpus.replayed, 'saved failure')} replayed — ${counts.join(', ')}`);
  for (const file of corpus.failing) lines.push(`  still failing: ${file}`);
  for (const file of corpus.fixed) lines.push(`  fixed: ${file} — its schedule now passes; ${removal(file)}`);
  for (const s of corpus.stale) lines.push(`  stale: ${s.file} — its schedule no longer fits the code (${s.divergence}); ${s.cause}; ${removal(s.file)}`);
  for (const u of corpus.unverified) lines.push(`  unverified: ${u.file} — ${u.reason}`);
  return lines;
}
