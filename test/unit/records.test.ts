import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withFields } from '../../src/core/records.js';
import { SEED } from '../hostile/arbitraries.js';

/** Keys that objects spread and assigned treat differently if anything does: the prototype's, and array-index-like ones. */
const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'a', 'b', '0', '1', '10', '-1'), fc.string({ maxLength: 4 }));
/** Built by JSON.parse, as a parsed document is: a "__proto__" key is an own data property. */
const parsedObject = fc
  .dictionary(key, fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.dictionary(key, fc.integer())))
  .map((entries) => JSON.parse(JSON.stringify(entries)) as Record<string, unknown>);

/** What tells two objects apart, as lists (an own "constructor" key would confuse a deep comparison of objects). */
function described(value: object): unknown[] {
  return [Object.getPrototypeOf(value) === Object.prototype, ...Reflect.ownKeys(value).map((name) => [name, Object.entries(Object.getOwnPropertyDescriptor(value, name) ?? {})])];
}

describe('withFields', () => {
  it('is { ...base, ...extra }: same keys in the same order, same values, same prototype', () => {
    fc.assert(
      fc.property(parsedObject, parsedObject, (base, extra) => {
        expect(described(withFields(base, extra))).toStrictEqual(described({ ...base, ...extra }));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('keeps an own "__proto__" key as data, never as the prototype', () => {
    const base = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const merged = withFields(base, { b: 2 });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toStrictEqual(['__proto__', 'a', 'b']);
    const extra = JSON.parse('{"__proto__": null}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(withFields({ a: 1 }, extra))).toBe(Object.prototype);
    expect(Object.hasOwn(withFields({ a: 1 }, extra), '__proto__')).toBe(true);
  });
});
