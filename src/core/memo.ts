/**
 * Remembers the results of a pure function of one string for the `limit` most recent arguments. The Crossplane
 * server calls the core once per reconcile with mostly the same inputs; results must be treated as immutable.
 */
import { LruMap } from './lru.js';

export function memoized<T>(compute: (key: string) => T, limit = 256): (key: string) => T {
  const results = new LruMap<string, T>(limit);
  return (key) => {
    const known = results.get(key);
    if (known !== undefined) return known;
    const computed = compute(key);
    results.set(key, computed);
    return computed;
  };
}
