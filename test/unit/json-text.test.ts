import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonString } from '../../src/core/json-text.js';
import { SEED } from '../hostile/arbitraries.js';

describe('jsonString', () => {
  it('writes any text as JSON.stringify does, lone surrogates and control characters included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('"', '\\', '\u001f', '\u007f', '\ud800', '\udc00', 'a', '/') })), (text) => {
        expect(jsonString(text)).toBe(JSON.stringify(text));
      }),
      { seed: SEED, numRuns: 5000 },
    );
    for (let code = 0; code < 0x80; code++) expect(jsonString(String.fromCharCode(code))).toBe(JSON.stringify(String.fromCharCode(code)));
  });
});
