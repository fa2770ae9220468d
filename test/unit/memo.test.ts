import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MEMO_CHARS, memoized, memoizedJson } from '../../src/core/memo.js';
import { SEED } from '../hostile/arbitraries.js';

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

describe('memoized, by size', () => {
  it('keeps arguments of at most its size in characters together, the most recently used first', () => {
    const computed: string[] = [];
    const first = memoized((key: string) => (computed.push(key), key.length), 100, 10);
    for (const key of ['aaaa', 'bbbb', 'aaaa', 'cccc', 'aaaa', 'bbbb']) first(key);
    // 'bbbb' went when 'cccc' came (12 characters would be more than 10); 'aaaa' stayed.
    expect(computed).toStrictEqual(['aaaa', 'bbbb', 'cccc', 'bbbb']);
  });

  it('keeps no argument longer than its size, however often it comes', () => {
    let calls = 0;
    const length = memoized((key: string) => (calls++, key.length), 100, 10);
    const long = 'x'.repeat(11);
    length(long);
    length(long);
    expect(calls).toBe(2);
  });

  it('holds a bounded number of characters for any stream of distinct arguments, large ones included', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3 * MAX_MEMO_CHARS), { maxLength: 40 }), (lengths) => {
        let computations = 0;
        const identity = memoized((key: string) => (computations++, key));
        const keys = lengths.map((length, index) => `${index}:`.padEnd(length, 'x'));
        keys.forEach(identity);
        // Asking again: what is answered without computing was held (asking for a held key evicts nothing).
        let held = 0;
        for (const key of keys) {
          const before = computations;
          identity(key);
          if (computations === before) held += key.length;
        }
        expect(held).toBeLessThanOrEqual(MAX_MEMO_CHARS);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });
});

describe('memoizedJson', () => {
  it('computes once per distinct JSON value, whichever object carries it, and reads what JSON would read', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 40 }), (values, picks) => {
        const seen: string[] = [];
        const read = memoizedJson((value: unknown) => (seen.push(JSON.stringify(value)), JSON.stringify(value)));
        for (const pick of picks) {
          const value = values[pick % values.length];
          // A fresh copy each time: equal data, another object, as a decoded request brings it.
          const answer = read(structuredClone(value));
          expect(answer).toBe(JSON.stringify(value) ?? 'null');
        }
        // Never computed twice for one JSON text (32 distinct values at most fit the memo).
        expect(new Set(seen).size).toBe(seen.length);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('reads a value JSON cannot hold as JSON holds it', () => {
    const read = memoizedJson((value: unknown) => value);
    expect(read({ a: Number.NaN, b: -0 })).toStrictEqual({ a: null, b: 0 });
    expect(read({ a: null, b: 0 })).toStrictEqual({ a: null, b: 0 });
    expect(read([Number.NaN])).toStrictEqual([null]);
  });

  it('keeps its own copy: a value changed after the call is not taken for the one it was', () => {
    const read = memoizedJson((value: unknown) => JSON.stringify(value));
    const input = { a: 1 };
    expect(read(input)).toBe('{"a":1}');
    input.a = 2;
    expect(read({ a: 2 })).toBe('{"a":2}');
  });
});
