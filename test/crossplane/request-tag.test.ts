/** Reading meta.tag from a RunFunctionRequest's bytes, and the cache that uses it to skip decoding. */
import fc from 'fast-check';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { requestTag } from '../../src/crossplane/request-tag.js';
import { knownEncodings, MAX_SEEN_TAG_CHARS, ResponseCache, summarize } from '../../src/crossplane/response-cache.js';
import { runFunction } from '../../src/crossplane/compose.js';
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
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => void requestTag(bytes)),
      { seed: 20_261_128, numRuns: 2000 },
    );
  });
});

describe('ResponseCache', () => {
  const response = (tag: string, padding = ''): RunFunctionResponse => ({
    meta: { tag, ttl: undefined },
    desired: undefined,
    results: padding === '' ? [] : [{ severity: 1, message: padding, reason: 'Padding' }],
    conditions: [],
    requirements: undefined,
  });
  const encodeResponse = (value: RunFunctionResponse) => Buffer.from(RunFunctionResponse.encode(value).finish());
  const serialize = knownEncodings(encodeResponse);

  it('answers a cached tag without decoding, and the answer survives an eviction before the handler runs', async () => {
    const cache = new ResponseCache({ maxEntries: 1, maxBytes: 1024 * 1024 }, encodeResponse);
    let handled = 0;
    let decoded = 0;
    const handler = cache.around((request) => (handled++, response(request.meta?.tag ?? '')));
    const decoder = cache.decoder((bytes) => (decoded++, RunFunctionRequest.decode(bytes)));
    const ask = async (tag: string) => handler(decoder(encode({ meta: { tag } })));
    expect(serialize(await ask('a'))).toStrictEqual(encodeResponse(response('a')));
    await ask('a'); // the second time: kept
    const again = decoder(encode({ meta: { tag: 'a' }, observed: { composite: { resource: webhookXr() } } }));
    await ask('b');
    await ask('b'); // evicts 'a' (one entry at most)
    const answer = await handler(again);
    expect(serialize(answer)).toStrictEqual(encodeResponse(response('a')));
    expect(summarize(answer)).toStrictEqual({ desiredResources: 0, results: 0, cached: true });
    expect({ handled, decoded }).toStrictEqual({ handled: 4, decoded: 4 });
  });

  it('keeps a response the second time its tag comes, not the first', async () => {
    const cache = new ResponseCache({ maxEntries: 2, maxBytes: 1024 * 1024 }, encodeResponse);
    const handled: string[] = [];
    const handler = cache.around((request) => (handled.push(request.meta?.tag ?? ''), response(request.meta?.tag ?? '')));
    const decoder = cache.decoder((bytes) => RunFunctionRequest.decode(bytes));
    for (const tag of ['a', 'b', 'a', 'a', 'b', 'b', 'a', 'b']) await handler(decoder(encode({ meta: { tag } })));
    expect(handled, 'each tag is handled twice, then answered from the cache').toStrictEqual(['a', 'b', 'a', 'b']);
    expect(cache.size).toBe(2);
    // Tags seen once are remembered for four times the entries kept: a tag that comes back later than that is
    // handled as new.
    const late = new ResponseCache({ maxEntries: 1, maxBytes: 1024 * 1024 }, encodeResponse);
    const lateHandled: string[] = [];
    const lateHandler = late.around((request) => (lateHandled.push(request.meta?.tag ?? ''), response(request.meta?.tag ?? '')));
    for (const tag of ['x', 'p', 'q', 'r', 's', 'x', 'x', 'x']) await lateHandler(RunFunctionRequest.fromPartial({ meta: { tag } }));
    expect(lateHandled.filter((tag) => tag === 'x')).toStrictEqual(['x', 'x', 'x']);
    expect(late.size).toBe(1);
  });

  it('with 0 entries or 0 bytes decodes and handles every request', async () => {
    for (const limits of [
      { maxEntries: 0, maxBytes: 1024 },
      { maxEntries: 10, maxBytes: 0 },
    ]) {
      const cache = new ResponseCache(limits, encodeResponse);
      let handled = 0;
      const handler = cache.around((request) => (handled++, response(request.meta?.tag ?? '')));
      const decoder = cache.decoder((bytes) => RunFunctionRequest.decode(bytes));
      await handler(decoder(encode({ meta: { tag: 'a' } })));
      await handler(decoder(encode({ meta: { tag: 'a' } })));
      expect(handled).toBe(2);
    }
  });

  it('remembers tags seen once within a bound of characters, however long the tags', async () => {
    const cache = new ResponseCache({ maxEntries: 256, maxBytes: 1024 * 1024 }, encodeResponse);
    const handler = cache.around(() => response('small'));
    for (let i = 0; i < 40; i++) {
      await handler(RunFunctionRequest.fromPartial({ meta: { tag: `${i}`.padEnd(100_000, 'x') } }));
      expect(cache.seenTagChars).toBeLessThanOrEqual(MAX_SEEN_TAG_CHARS);
    }
    expect(cache.seenTagChars).toBeGreaterThan(MAX_SEEN_TAG_CHARS / 2);
    await handler(RunFunctionRequest.fromPartial({ meta: { tag: 'y'.repeat(MAX_SEEN_TAG_CHARS + 1) } }));
    expect(cache.seenTagChars).toBeLessThanOrEqual(MAX_SEEN_TAG_CHARS);
    expect(cache.size).toBe(0);
  });

  it('keeps no more bytes than its bound, however many large distinct responses pass, and never one larger than the bound', async () => {
    const maxBytes = 1024 * 1024;
    const cache = new ResponseCache({ maxEntries: 256, maxBytes }, encodeResponse);
    const handler = cache.around((request) => response(request.meta?.tag ?? '', 'x'.repeat(300_000 + Number(request.meta?.tag.slice(1)))));
    for (let i = 0; i < 100; i++) {
      for (let time = 0; time < 2; time++) await handler(RunFunctionRequest.fromPartial({ meta: { tag: `t${i}` } }));
      expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(cache.size).toBe(3);
    const huge = cache.around(() => response('huge', 'x'.repeat(maxBytes)));
    for (let time = 0; time < 2; time++) await huge(RunFunctionRequest.fromPartial({ meta: { tag: 'huge' } }));
    expect(cache.size).toBe(3);
  });

  it('holds the encoded bytes of real expansions, within its bound', async () => {
    const maxBytes = 256 * 1024;
    const cache = new ResponseCache({ maxEntries: 256, maxBytes }, encodeResponse);
    const handler = cache.around((request) => runFunction(request));
    let total = 0;
    for (let i = 0; i < 40; i++) {
      // Earlier pipeline steps' desired resources travel through: each response carries ~50 KB of them.
      const earlier = { resources: { [`earlier-${i}`]: { resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { blob: 'y'.repeat(50_000) } } } } };
      const request = RunFunctionRequest.fromPartial({ meta: { tag: `r${i}` }, observed: { composite: { resource: webhookXr() } }, desired: earlier as never });
      for (let time = 0; time < 2; time++) total += serialize(await handler(request)).length;
      expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(total).toBeGreaterThan(4 * maxBytes);
    expect(cache.size).toBeGreaterThan(0);
  });
});
