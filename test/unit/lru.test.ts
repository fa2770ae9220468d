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

  it('evicts as a plain second-chance queue does, over sequences long enough to reorganize its queue', () => {
    const longOps = fc.array(fc.record({ kind: fc.constantFrom('set' as const, 'set' as const, 'get' as const, 'delete' as const), key: fc.nat(40) }), {
      minLength: 2000,
      maxLength: 6000,
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), longOps, (maxEntries, ops) => {
        expect(heldAfter(new LruMap<number, number>(maxEntries), ops)).toStrictEqual(heldAfter(secondChanceQueue(maxEntries), ops));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('forgets the places of entries set again while it is not full, and still evicts in order', () => {
    // Ten keys set again 300 times leave 3,000 places behind without a single eviction.
    const ops: KeyOp[] = [];
    for (let round = 0; round < 300; round++) for (let key = 0; key < 10; key++) ops.push({ kind: 'set', key });
    // 0 used: 1 goes for 10; 3 used: 2 goes for 11; 3 passed over again: 4 goes for 12.
    ops.push({ kind: 'get', key: 0 }, { kind: 'set', key: 10 }, { kind: 'get', key: 3 }, { kind: 'set', key: 11 }, { kind: 'set', key: 12 });
    const held = heldAfter(new LruMap<number, number>(10), ops);
    expect(held).toStrictEqual(heldAfter(secondChanceQueue(10), ops));
    expect(held).toStrictEqual([0, 3, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

type KeyOp = { readonly kind: 'set' | 'get' | 'delete'; readonly key: number };

interface KeyMap {
  set(key: number, value: number): void;
  get(key: number): unknown;
  delete(key: number): void;
}

/** The keys (of 0 to 40) held after `ops`. */
function heldAfter(map: KeyMap, ops: readonly KeyOp[]): number[] {
  for (const step of ops) {
    if (step.kind === 'set') map.set(step.key, step.key);
    else if (step.kind === 'get') map.get(step.key);
    else map.delete(step.key);
  }
  return Array.from({ length: 41 }, (_, key) => key).filter((key) => map.get(key) !== undefined);
}

/** The reference: entries in an array in eviction order, searched and spliced. */
function secondChanceQueue(maxEntries: number): KeyMap {
  const queue: Array<{ key: number; used: boolean }> = [];
  const at = (key: number) => queue.findIndex((entry) => entry.key === key);
  return {
    get(key) {
      const index = at(key);
      if (index < 0) return undefined;
      queue[index]!.used = true;
      return key;
    },
    delete(key) {
      const index = at(key);
      if (index >= 0) queue.splice(index, 1);
    },
    set(key) {
      this.delete(key);
      const newest = { key, used: false };
      queue.push(newest);
      while (queue.length > maxEntries) {
        const oldest = queue.shift()!;
        if (oldest !== newest && !oldest.used) continue;
        oldest.used = false;
        queue.push(oldest);
      }
    },
  };
}
