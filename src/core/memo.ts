/**
 * Remembers the results of a pure function of one string for the `limit` most recent arguments, and for
 * arguments of at most `maxChars` characters together. The Crossplane server calls the core once per reconcile
 * with mostly the same small inputs (a step input, a Workspace's module, a wildcard); a request may hold one
 * of 4 MiB, and 256 of those kept would be a gigabyte, so memory is bounded by size as well as by count (a
 * result is about as large as its argument). Results must be treated as immutable.
 */
import { LruMap } from './lru.js';
import { sameData } from './same-data.js';

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

/** Values recognised by comparison before any is written out as JSON, and the largest (as JSON) kept so. */
const RECENT_VALUES = 4;
const MAX_RECENT_VALUE_CHARS = 1 << 16;

/**
 * `memoized` for a function of a JSON value, such as a pipeline step input that comes with every call: the
 * last few values are recognised by comparing them with the argument, which costs less than writing it out
 * as JSON (decoded protobuf objects are slow to write), and the others by their JSON text. `compute` gets a
 * copy of the value read back from its JSON, so a value JSON cannot hold (NaN, -0) is read as JSON holds it.
 */
export function memoizedJson<T>(compute: (value: unknown) => T, limit = 32): (value: unknown) => T {
  const byJson = memoized((json: string) => compute(JSON.parse(json) as unknown), limit);
  const recent: Array<{ readonly value: unknown; readonly result: T }> = [];
  return (value) => {
    for (const known of recent) if (sameData(known.value, value)) return known.result;
    const json = JSON.stringify(value) ?? 'null';
    const result = byJson(json);
    if (json.length <= MAX_RECENT_VALUE_CHARS && result !== undefined) {
      // Compared as JSON would read it back: a value equal to that one has the same JSON text.
      recent.unshift({ value: JSON.parse(json) as unknown, result });
      if (recent.length > RECENT_VALUES) recent.pop();
    }
    return result;
  };
}
