/** Field paths: segments as the core walks them, strings as users read them (`spec.subscriptions[1]`). */

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** `['spec', 'subscriptions', 1]` → `spec.subscriptions[1]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** `/spec/subscriptions/1` (JSON Pointer) → `['spec', 'subscriptions', 1]`. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

/** `destinationType` → `destination_type`. */
export function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `destination_type` → `destinationType`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
