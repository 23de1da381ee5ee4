import { describe, expect, it } from 'vitest';
import { checkFailureMessage, describeThrown } from '../../src/core/check-result.js';

describe('checkFailureMessage', () => {
  it('fails on false and on a string (the message); passes on everything else', () => {
    expect(checkFailureMessage(false, 'invariant')).toBe('invariant returned false');
    expect(checkFailureMessage(false, 'always')).toBe('always returned false');
    expect(checkFailureMessage('balance is 1', 'invariant')).toBe('balance is 1');
    for (const ok of [true, undefined, null, 0, 1, {}, [], Symbol('x')]) expect(checkFailureMessage(ok, 'invariant')).toBeUndefined();
  });
});

describe('describeThrown', () => {
  it('prefixes the error name unless it is plain Error, and keeps the stack', () => {
    const plain = new Error('boom');
    expect(describeThrown(plain)).toEqual({ message: 'boom', stack: plain.stack });
    expect(describeThrown(new TypeError('bad type')).message).toBe('TypeError: bad type');
    class MyError extends Error {
      override name = 'MyError';
    }
    expect(describeThrown(new MyError('mine')).message).toBe('MyError: mine');
  });

  it('describes thrown non-errors, including ones that cannot be printed', () => {
    expect(describeThrown('oops')).toEqual({ message: 'threw "oops"' });
    expect(describeThrown(42)).toEqual({ message: 'threw 42' });
    expect(describeThrown(undefined)).toEqual({ message: 'threw undefined' });
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(describeThrown(hostile)).toEqual({ message: 'threw a value that cannot be printed' });
    expect(describeThrown(Object.create(null))).toEqual({ message: 'threw a value that cannot be printed' });
  });
});
