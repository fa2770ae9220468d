import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/core/lru.js';
import { SEED } from '../hostile/arbitraries.js';

type Op = { readonly kind: 'set'; readonly key: number; readonly weight: number } | { readonly kind: 'get' | 'delete'; readonly key: number };

const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.nat(12), weight: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constantFrom('get' as const, 'delete' as const), key: fc.nat(12) }),
);

describe('LruMap', () => {
  it('stays within its limits, weighs what it holds, answers what was set, and keeps what was just set', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 80 }), (maxEntries, maxWeight, ops: Op[]) => {
        const lru = new LruMap<number, { weight: number; version: number }>({ maxEntries, maxWeight, weigh: (value) => value.weight });
        const latest = new Map<number, { weight: number; version: number }>();
        ops.forEach((step, version) => {
          if (step.kind === 'set') {
            const value = { weight: step.weight, version };
            lru.set(step.key, value);
            latest.set(step.key, value);
            expect(lru.get(step.key)).toBe(step.weight <= maxWeight ? value : undefined);
          } else if (step.kind === 'delete') {
            lru.delete(step.key);
            latest.delete(step.key);
            expect(lru.get(step.key)).toBeUndefined();
          } else {
            const held = lru.get(step.key);
            // What it answers is the last value set for the key, never an older one.
            if (held !== undefined) expect(held).toBe(latest.get(step.key));
          }
          expect(lru.size).toBeLessThanOrEqual(maxEntries);
          expect(lru.weight).toBeLessThanOrEqual(maxWeight);
          let weight = 0;
          for (const key of latest.keys()) weight += lru.get(key)?.weight ?? 0;
          expect(lru.weight).toBe(weight);
        });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('evicts the oldest entry not used since, passing over the ones used', () => {
    const lru = new LruMap<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    lru.get('a');
    lru.set('d', 4); // 'a' was used: passed over; 'b' goes
    expect(['a', 'b', 'c', 'd'].map((key) => lru.get(key))).toStrictEqual([1, undefined, 3, 4]);
    // Reading them used every entry: a full pass unmarks them all, then the oldest of them ('c') goes.
    lru.set('e', 5);
    expect(['a', 'c', 'd', 'e'].map((key) => lru.get(key))).toStrictEqual([1, undefined, 4, 5]);
  });
});
