import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/duration.js';

describe('parseDuration', () => {
  it('reads ms, s, m and bare seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('3')).toBe(3_000);
    expect(parseDuration(' 4 s ')).toBe(4_000);
  });

  it('rejects everything else', () => {
    for (const text of ['', 'soon', '10h', '-1s', '1e3', 's', '10 ms ms']) expect(parseDuration(text), text).toBeUndefined();
  });
});
