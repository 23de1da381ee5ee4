import { inspect } from 'node:util';
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
      [inspect.custom]() {
        throw new Error('no');
      },
    };
    expect(describeThrown(hostile)).toEqual({ message: 'threw a value that cannot be printed' });
  });

  // Was a bug: `throw { code: 'E_X', detail: 1 }` was reported as "threw [object Object]".
  it('shows a thrown object, array or function as util.inspect does, on one line', () => {
    const thrown = { code: 'E_X', detail: 1 };
    expect(describeThrown(thrown)).toEqual({ message: `threw ${inspect(thrown)}` });
    expect(describeThrown(thrown).message).toBe("threw { code: 'E_X', detail: 1 }");
    expect(describeThrown(Object.create(null)).message).toBe('threw [Object: null prototype] {}');
    expect(describeThrown([1, 2]).message).toBe('threw [ 1, 2 ]');
    expect(describeThrown(function named() {}).message).toBe('threw [Function: named]');
    expect(describeThrown(10n).message).toBe('threw 10n');
    const wide = { a: 'x'.repeat(50), b: 'y'.repeat(50), nested: { deeper: { deepest: { gone: 1 } } } };
    expect(describeThrown(wide).message).not.toContain('\n');
    expect(describeThrown(wide).message).toContain('deepest: [Object]');
  });

  // Was a bug: describing a thrown revoked proxy threw (`instanceof` runs its getPrototypeOf trap).
  it('never throws: a revoked proxy, an error whose message getter throws', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(describeThrown(proxy)).toEqual({ message: 'threw <Revoked Proxy>' });
    class Hostile extends Error {
      override get message(): string {
        throw new Error('no');
      }
    }
    expect(describeThrown(new Hostile())).toEqual({ message: 'threw a value that cannot be printed' });
  });
});
