/**
 * The wildcard matcher: exact against a reference (dynamic programming over pattern × text) on random patterns,
 * and fast on the patterns that make backtracking matchers exponential (many stars, a tail that cannot match).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { glob } from '../../src/core/glob.js';
import { expandWildcard, resolveEventTypes } from '../../src/core/subscriptions.js';
import { SEED } from '../hostile/arbitraries.js';
import { recordCount } from '../hostile/summary.js';

/** The textbook matcher: can pattern[0..i) match text[0..j)? O(|pattern|·|text|), obviously right. */
function reference(pattern: string, text: string): boolean {
  let row: boolean[] = Array.from({ length: text.length + 1 }, (_, j) => j === 0);
  for (const char of pattern) {
    const next: boolean[] = [char === '*' && row[0]!];
    for (let j = 1; j <= text.length; j++) next[j] = char === '*' ? next[j - 1]! || row[j]! : row[j - 1]! && text[j - 1] === char;
    row = next;
  }
  return row[text.length]!;
}

describe('glob', () => {
  it('agrees with the reference matcher on random patterns and texts', () => {
    const alphabet = fc.constantFrom('a', 'b', '.', '*');
    const pattern = fc.array(alphabet, { maxLength: 12 }).map((chars) => chars.join(''));
    const text = fc.array(fc.constantFrom('a', 'b', '.'), { maxLength: 12 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        expect(glob(p).matches(t)).toBe(reference(p, t));
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it('agrees with the reference on texts made from the pattern, so that matches are frequent', () => {
    const cases = fc.array(fc.constantFrom('a', 'b', 'ab', 'ba', '.'), { minLength: 1, maxLength: 8 }).chain((pieces) =>
      fc.tuple(
        fc
          .array(fc.boolean(), { minLength: pieces.length + 1, maxLength: pieces.length + 1 })
          .map((stars) => pieces.map((piece, i) => `${stars[i] ? '*' : ''}${piece}`).join('') + (stars[pieces.length] ? '*' : '')),
        fc
          .array(fc.constantFrom('', 'a', 'b', '.', 'ab'), { minLength: pieces.length + 1, maxLength: pieces.length + 1 })
          .map((fillers) => pieces.map((piece, i) => `${fillers[i]}${piece}`).join('') + fillers[pieces.length]),
      ),
    );
    fc.assert(
      fc.property(cases, ([p, t]) => {
        expect(glob(p).matches(t)).toBe(reference(p, t));
      }),
      { seed: SEED, numRuns: 5_000 },
    );
    recordCount('property cases: wildcard matcher against a reference matcher', 25_000);
  });

  it('answers at once for patterns that make a backtracking matcher exponential', () => {
    for (const stars of [16, 1_000, 100_000]) {
      expect(glob(`${'*'.repeat(stars)}x`).matches('user.organization.member.role.assigned')).toBe(false);
      expect(glob(`${'*a'.repeat(stars)}x`).matches('a'.repeat(200))).toBe(false);
      expect(glob(`${'u*'.repeat(stars)}`).matches('user.created')).toBe(false);
    }
  });

  it('expands wildcard subscriptions and route event types with thousands of stars', () => {
    expect(expandWildcard(`${'*'.repeat(10_000)}x`)).toStrictEqual([]);
    expect(expandWildcard(`user.${'*'.repeat(10_000)}`)).toStrictEqual(['user.created', 'user.deleted', 'user.updated']);
    const resolved = resolveEventTypes(['****************x', `${'*'.repeat(100_000)}y`], (i) => `spec.subscriptions[${i}]`, 'strict');
    expect(resolved.findings.map((finding) => finding.id)).toStrictEqual(['wildcard-matches-nothing', 'wildcard-matches-nothing']);
  });
});
