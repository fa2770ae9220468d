/**
 * "Did you mean": the banded, budgeted search gives what the plain edit distance gives, and its work is
 * bounded per input object whatever the values and candidates are.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/core/index.js';
import { resolveEventTypes } from '../../src/core/subscriptions.js';
import { closest, suggestionBudget, SUGGESTION_STEPS } from '../../src/core/suggest.js';
import { SEED } from '../hostile/arbitraries.js';

/** Levenshtein distance over the whole table: the reference. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

function referenceClosest(value: string, candidates: readonly string[], tolerance = Math.max(2, Math.floor(value.length / 3))): string | undefined {
  if (value.length > 200) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(value, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= tolerance ? best : undefined;
}

const word = fc.oneof(fc.string({ maxLength: 24 }), fc.stringMatching(/^[ab.]{0,30}$/), fc.constantFrom('user.created', 'user.updated', 'organization.member.added'));

describe('closest', () => {
  it('finds what the full edit distance table finds, for any tolerance', () => {
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 12 }), fc.option(fc.oneof(fc.nat(12), fc.constant(Infinity)), { nil: undefined }), (value, candidates, tolerance) => {
        expect(closest(value, candidates, tolerance)).toBe(referenceClosest(value, candidates, tolerance));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('never spends more than its budget, and suggests nothing once the budget is spent', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(word, fc.array(word, { maxLength: 40 })), { maxLength: 30 }), fc.nat(3000), (calls, steps) => {
        const budget = suggestionBudget(steps);
        let spent = false;
        for (const [value, candidates] of calls) {
          const before = budget.remaining;
          const suggestion = closest(value, candidates, Infinity, budget);
          if (spent) expect(suggestion).toBeUndefined();
          expect(budget.remaining).toBeLessThanOrEqual(before);
          if (budget.remaining <= 0) spent = true;
        }
        expect(steps - budget.remaining).toBeLessThanOrEqual(steps + 1 + 200 * 200);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe('suggestions for one input object', () => {
  const longUnknown = (count: number) => Array.from({ length: count }, (_, i) => `organization.member.role.${'q'.repeat(95)}${i}`);

  it('take one budget for every unknown event type of a list, however many there are', () => {
    const resolved = resolveEventTypes(longUnknown(256), (i) => `spec.subscriptions[${i}]`, 'strict');
    const suggested = resolved.findings.filter((finding) => finding.proposedValue !== undefined).length;
    expect(resolved.findings).toHaveLength(256);
    // Each of these costs about 12 × 128 × 33 steps: the budget covers some, and the rest are still reported.
    expect(suggested).toBeGreaterThan(0);
    expect(suggested).toBeLessThan(256);
    expect(suggested * 12 * 33 * 120).toBeLessThanOrEqual(SUGGESTION_STEPS * 1.5);
  });

  it('take one budget for every route of a configuration', () => {
    const routes = Array.from({ length: 50 }, (_, r) => ({ name: `r${r}`, eventTypes: longUnknown(256), targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }));
    const reading = readConfig({ apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: { routes } });
    expect(reading.findings).toHaveLength(50 * 256);
    const suggested = reading.findings.filter((finding) => finding.proposedValue !== undefined).length;
    expect(suggested).toBeLessThan(256 * 2);
  });
});
