/**
 * Remembers the results of a pure function of one string for the `limit` most recent arguments. The Crossplane
 * server calls the core once per reconcile with mostly the same inputs; results must be treated as immutable.
 */
export function memoized<T>(compute: (key: string) => T, limit = 256): (key: string) => T {
  const results = new Map<string, T>();
  return (key) => {
    const known = results.get(key);
    if (known !== undefined) {
      // Re-inserted, so the least recently used entry is always the first one.
      results.delete(key);
      results.set(key, known);
      return known;
    }
    const computed = compute(key);
    if (results.size >= limit) results.delete(results.keys().next().value!);
    results.set(key, computed);
    return computed;
  };
}
