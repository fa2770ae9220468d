/** A plain object (a YAML or JSON mapping): not null, not a list. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value when it is a plain object, else undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

/** The value at `path` under `value` (object keys and list indices), or undefined. */
export function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/**
 * `{ ...base, ...extra }`: a copy of `base` with some of its fields set, built so that V8 can reuse hidden
 * classes. On Node.js 20 (V8 11) an object literal that starts with a spread and has more members gets a hidden
 * class of its own each time it is evaluated: about 0.4 µs to make, kept in the old generation until a full GC,
 * and every later read of the object misses V8's inline caches. Object.assign onto a new `{}` follows shared
 * transitions instead. It would take an own `__proto__` key (js-yaml and protobuf Structs make them) for the
 * prototype, so such objects are spread. Per-stream code uses this (a lint rule says where); elsewhere the
 * spread reads better.
 */
export function withFields<T extends object>(base: T, extra: Partial<T>): T {
  if (Object.hasOwn(base, '__proto__') || Object.hasOwn(extra, '__proto__')) return { ...base, ...extra };
  return Object.assign({}, base, extra);
}
