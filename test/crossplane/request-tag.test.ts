/** Reading meta.tag from a RunFunctionRequest's bytes, and the cache that uses it to skip decoding. */
import fc from 'fast-check';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { requestTag } from '../../src/crossplane/request-tag.js';
import { ResponseCache } from '../../src/crossplane/response-cache.js';
import type { RequestInit } from '../support/grpc.js';
import { webhookXr } from '../support/xr.js';

const encode = (request: RequestInit) =>
  Buffer.from(RunFunctionRequest.encode(RunFunctionRequest.fromPartial(request as Parameters<typeof RunFunctionRequest.fromPartial>[0])).finish());

describe('requestTag', () => {
  it('reads the tag the SDK encoded, whatever else the request holds', () => {
    const request = fc.record({
      tag: fc.string({ unit: 'grapheme', maxLength: 80 }),
      capabilities: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
      composite: fc.jsonValue({ maxDepth: 3 }),
      input: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      ttl: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(request, ({ tag, capabilities, composite, input, ttl }) => {
        const bytes = encode({ meta: { tag, capabilities }, observed: { composite: { resource: { value: composite } } }, input, context: { ttl } });
        // An empty string is not on the wire (proto3 default).
        expect(requestTag(bytes) ?? '').toBe(tag);
      }),
      { seed: 20_261_128, numRuns: 1000 },
    );
  });

  it('finds meta after other fields, and takes the last one when it occurs twice (protobuf merge)', () => {
    const observed = encode({ observed: { composite: { resource: webhookXr() } } });
    const first = encode({ meta: { tag: 'first' } });
    const last = encode({ meta: { tag: 'last' } });
    expect(requestTag(Buffer.concat([observed, first]))).toBe('first');
    expect(requestTag(Buffer.concat([first, observed, last]))).toBe('last');
    expect(RunFunctionRequest.decode(Buffer.concat([first, observed, last])).meta?.tag).toBe('last');
  });

  it('gives undefined for requests without a tag and for bytes that are not a well-formed message, never throwing', () => {
    expect(requestTag(encode({ observed: { composite: { resource: webhookXr() } } }))).toBeUndefined();
    const tagged = encode({ meta: { tag: 'abc' }, observed: { composite: { resource: webhookXr() } } });
    // Cut inside meta: malformed. Cut between fields after it: a well-formed message that still has the tag.
    const metaLength = encode({ meta: { tag: 'abc' } }).length;
    for (let cut = 1; cut < metaLength; cut++) expect(requestTag(tagged.subarray(0, cut))).toBeUndefined();
    expect(requestTag(tagged.subarray(0, metaLength))).toBe('abc');
    expect(requestTag(tagged.subarray(0, metaLength + 3))).toBeUndefined();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => void requestTag(bytes)), { seed: 20_261_128, numRuns: 2000 });
  });
});

describe('ResponseCache', () => {
  const response = (tag: string): RunFunctionResponse => ({ meta: { tag }, desired: undefined, results: [], conditions: [], requirements: undefined }) as unknown as RunFunctionResponse;

  it('answers a cached tag without decoding, and the answer survives an eviction before the handler runs', async () => {
    const cache = new ResponseCache(1);
    let handled = 0;
    let decoded = 0;
    const handler = cache.around((request) => (handled++, response(request.meta?.tag ?? '')));
    const decoder = cache.decoder((bytes) => (decoded++, RunFunctionRequest.decode(bytes)));
    const a = decoder(encode({ meta: { tag: 'a' } }));
    expect(await handler(a)).toStrictEqual(response('a'));
    const again = decoder(encode({ meta: { tag: 'a' }, observed: { composite: { resource: webhookXr() } } }));
    await handler(decoder(encode({ meta: { tag: 'b' } }))); // evicts 'a' (capacity 1)
    expect(await handler(again)).toStrictEqual(response('a'));
    expect({ handled, decoded }).toStrictEqual({ handled: 2, decoded: 2 });
  });

  it('with capacity 0 decodes and handles every request', async () => {
    const cache = new ResponseCache(0);
    let handled = 0;
    const handler = cache.around((request) => (handled++, response(request.meta?.tag ?? '')));
    const decoder = cache.decoder((bytes) => RunFunctionRequest.decode(bytes));
    await handler(decoder(encode({ meta: { tag: 'a' } })));
    await handler(decoder(encode({ meta: { tag: 'a' } })));
    expect(handled).toBe(2);
  });
});
