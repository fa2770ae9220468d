/**
 * A map that keeps its most recently used entries: at most `maxEntries` of them and, when entries are
 * weighed (e.g. by their size in bytes), at most `maxWeight` in total. An entry heavier than `maxWeight` on
 * its own is not kept at all.
 *
 * Eviction is by second chance (the CLOCK approximation of least recently used): a hit only marks its entry,
 * and the oldest entry goes first unless it was used since it came or was last passed over, in which case it
 * is kept as if new and the next oldest is tried. A hit so costs one lookup and never reorders the map, which
 * matters on the hot path of a server that answers most calls from its memos.
 */
export interface LruLimits<V> {
  readonly maxEntries: number;
  readonly maxWeight?: number;
  readonly weigh?: (value: V) => number;
}

interface Slot<V> {
  readonly value: V;
  readonly weight: number;
  used: boolean;
}

export class LruMap<K, V> {
  readonly #entries = new Map<K, Slot<V>>();
  readonly #maxEntries: number;
  readonly #maxWeight: number;
  readonly #weigh: (value: V) => number;
  #weight = 0;

  constructor(limits: number | LruLimits<V>) {
    const { maxEntries, maxWeight = Infinity, weigh = () => 1 } = typeof limits === 'number' ? { maxEntries: limits } : limits;
    this.#maxEntries = maxEntries;
    this.#maxWeight = maxWeight;
    this.#weigh = weigh;
  }

  get(key: K): V | undefined {
    const slot = this.#entries.get(key);
    if (slot === undefined) return undefined;
    slot.used = true;
    return slot.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.#weigh(value);
    if (weight > this.#maxWeight || this.#maxEntries <= 0) return;
    this.#entries.set(key, { value, weight, used: false });
    this.#weight += weight;
    while (this.#entries.size > this.#maxEntries || this.#weight > this.#maxWeight) this.#evictOne(key);
  }

  delete(key: K): void {
    const slot = this.#entries.get(key);
    if (slot === undefined) return;
    this.#entries.delete(key);
    this.#weight -= slot.weight;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The total weight of the entries kept (their number when entries are not weighed). */
  get weight(): number {
    return this.#weight;
  }

  /**
   * Evicts the oldest entry not used since it came or was last passed over; a used one passed over loses its
   * mark and goes to the back. `newest` (the entry just set) is never evicted for itself. A passed-over entry
   * comes round again unmarked, so this ends.
   */
  #evictOne(newest: K): void {
    for (const [key, slot] of this.#entries) {
      if (key === newest) continue;
      if (!slot.used) {
        this.delete(key);
        return;
      }
      slot.used = false;
      this.#entries.delete(key);
      this.#entries.set(key, slot);
    }
  }
}
