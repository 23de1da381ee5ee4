import { describe, expect, it } from 'vitest';
import { countOf, formatCount } from '../../src/core/count.js';

describe('countOf, the one count helper of every report', () => {
  it('says one in the singular and every other count, zero too, in the plural', () => {
    expect(countOf(1, 'run')).toBe('1 run');
    expect(countOf(0, 'run')).toBe('0 runs');
    expect(countOf(2, 'await pair')).toBe('2 await pairs');
    expect(countOf(1, 'await pair')).toBe('1 await pair');
  });

  it('takes the plural of a noun that is not noun + s', () => {
    expect(countOf(1, 'delay', 'delays')).toBe('1 delay');
    expect(countOf(3, 'more step', 'more steps')).toBe('3 more steps');
    expect(countOf(2, 'index', 'indices')).toBe('2 indices');
  });

  it('groups thousands as people read them', () => {
    expect(formatCount(1000)).toBe('1,000');
    expect(countOf(19_940, 'step')).toBe('19,940 steps');
    expect(countOf(999, 'step')).toBe('999 steps');
  });
});
