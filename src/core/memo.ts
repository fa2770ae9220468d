/**
 * Remembers the results of a pure function of one string for the `limit` most recent arguments, and for
 * arguments of at most `maxChars` characters together. The Crossplane server calls the core once per reconcile
 * with mostly the same small inputs (a step input, a Workspace's module, a wildcard); a request may hold one
 * of 4 MiB, and 256 of those kept would be a gigabyte, so memory is bounded by size as well as by count (a
 * result is about as large as its argument). Results must be treated as immutable.
 */
import { LruMap } from './lru.js';

/** Characters of arguments one memo keeps at most; an argument longer than this is not kept at all. */
export const MAX_MEMO_CHARS = 2 ** 21;

export function memoized<T>(compute: (key: string) => T, limit = 256, maxChars = MAX_MEMO_CHARS): (key: string) => T {
  const results = new LruMap<string, { readonly value: T; readonly chars: number }>({ maxEntries: limit, maxWeight: maxChars, weigh: (entry) => entry.chars });
  return (key) => {
    const known = results.get(key);
    if (known !== undefined) return known.value;
    const computed = compute(key);
    if (computed !== undefined) results.set(key, { value: computed, chars: key.length });
    return computed;
  };
}
