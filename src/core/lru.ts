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

interface Slot<K, V> {
  readonly key: K;
  readonly value: V;
  readonly weight: number;
  used: boolean;
  /** False once the entry is deleted or evicted: its place in the queue is then skipped. */
  kept: boolean;
}

/** Places passed at the head of the queue, or left by deleted entries, before the queue is cut down. */
const COMPACT_AFTER = 1024;

export class LruMap<K, V> {
  readonly #entries = new Map<K, Slot<K, V>>();
  /**
   * The entries in the order eviction looks at them, from `#head` on. Kept apart from the map: a Map keeps
   * the places of deleted entries until it rehashes, and a scan for the oldest entry walks over all of them,
   * which made every eviction from a large map cost in proportion to its size.
   */
  #queue: Array<Slot<K, V> | undefined> = [];
  #head = 0;
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
    const slot: Slot<K, V> = { key, value, weight, used: false, kept: true };
    this.#entries.set(key, slot);
    this.#queue.push(slot);
    this.#weight += weight;
    while (this.#entries.size > this.#maxEntries || this.#weight > this.#maxWeight) this.#evictOne(slot);
    // Deleted entries leave their places behind; when they outnumber the entries, the queue drops them.
    if (this.#queue.length - this.#head > 2 * this.#entries.size + COMPACT_AFTER) this.#compact();
  }

  delete(key: K): void {
    const slot = this.#entries.get(key);
    if (slot === undefined) return;
    this.#drop(slot);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The total weight of the entries kept (their number when entries are not weighed). */
  get weight(): number {
    return this.#weight;
  }

  /** The queue cut down to the entries still waiting in it. */
  #compact(): void {
    this.#queue = this.#queue.slice(this.#head).filter((waiting) => waiting!.kept);
    this.#head = 0;
  }

  #drop(slot: Slot<K, V>): void {
    this.#entries.delete(slot.key);
    slot.kept = false;
    this.#weight -= slot.weight;
  }

  /**
   * Evicts the oldest entry not used since it came or was last passed over; a used one passed over loses its
   * mark and goes to the back. `newest` (the entry just set) is never evicted for itself. A passed-over entry
   * comes round again unmarked, so this ends.
   */
  #evictOne(newest: Slot<K, V>): void {
    for (;;) {
      const slot = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined;
      if (this.#head >= COMPACT_AFTER && 2 * this.#head >= this.#queue.length) this.#compact();
      if (!slot.kept) continue;
      if (slot !== newest && !slot.used) {
        this.#drop(slot);
        return;
      }
      slot.used = false;
      this.#queue.push(slot);
    }
  }
}
