/**
 * A map that keeps its most recently used entries: at most `maxEntries` of them and, when entries are
 * weighed (e.g. by their size in bytes), at most `maxWeight` in total. An entry heavier than `maxWeight` on
 * its own is not kept at all.
 */
export interface LruLimits<V> {
  readonly maxEntries: number;
  readonly maxWeight?: number;
  readonly weigh?: (value: V) => number;
}

export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();
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
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Re-inserted, so the least recently used entry is always the first one.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.#weigh(value);
    if (weight > this.#maxWeight || this.#maxEntries <= 0) return;
    this.#entries.set(key, value);
    this.#weight += weight;
    while (this.#entries.size > this.#maxEntries || this.#weight > this.#maxWeight) this.delete(this.#entries.keys().next().value!);
  }

  delete(key: K): void {
    const value = this.#entries.get(key);
    if (value === undefined) return;
    this.#entries.delete(key);
    this.#weight -= this.#weigh(value);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The total weight of the entries kept (their number when entries are not weighed). */
  get weight(): number {
    return this.#weight;
  }
}
