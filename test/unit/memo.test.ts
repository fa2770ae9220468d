import { describe, expect, it } from 'vitest';
import { memoized } from '../../src/core/memo.js';

describe('memoized', () => {
  it('computes once per key and forgets the least recently used key beyond its limit', () => {
    const computed: string[] = [];
    const length = memoized((key: string) => (computed.push(key), key.length), 2);
    expect([length('a'), length('bb'), length('a'), length('ccc'), length('a'), length('bb')]).toStrictEqual([1, 2, 1, 3, 1, 2]);
    // 'bb' was the least recently used when 'ccc' came, so it was computed again; 'a' never was.
    expect(computed).toStrictEqual(['a', 'bb', 'ccc', 'bb']);
  });

  it('does not remember undefined, so a failed computation is tried again', () => {
    let calls = 0;
    const parse = memoized((key: string) => (calls++, key === 'ok' ? 1 : undefined));
    parse('bad');
    parse('bad');
    expect(calls).toBe(2);
  });
});
