/**
 * The server's response encoder (src/crossplane/response-encoding.ts) must give the SDK's bytes exactly:
 * arbitrary responses, and the responses the function really gives.
 */
import fc from 'fast-check';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { phase2Request } from '../../bench/generate.mjs';
import { runFunction } from '../../src/crossplane/compose.js';
import { encodeResponse } from '../../src/crossplane/response-encoding.js';
import { SEED } from '../hostile/arbitraries.js';
import { eventbridgeXr, observed, PARTNER_SOURCE, readyCondition, webhookXr } from '../support/xr.js';

const bySdk = (response: RunFunctionResponse): Buffer => Buffer.from(RunFunctionResponse.encode(response).finish());

/** Strings that decide UTF-8 lengths and key order: empty, non-ASCII, lone surrogates, index-like keys, `__proto__`. */
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', 'é', '😀', '\ud800', 'a\udc00b', '0', '1', '10', '__proto__', 'x'.repeat(40), 'é'.repeat(40), '\u2028'.repeat(3)),
);
const int32 = fc.oneof(fc.constantFrom(0, 1, 2, 127, 128, 300, -1, -300, 2 ** 31 - 1, -(2 ** 31)), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));

const struct: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(tie('node'), fc.constant(undefined)), { maxLength: 4 }),
    // A sparse list: its holes are empty Values.
    fc.tuple(fc.nat(4), tie('node')).map(([at, item]) => {
      const list: unknown[] = [];
      list[at] = item;
      return list;
    }),
    tie('struct'),
  ),
  struct: fc.array(fc.tuple(text, fc.oneof(tie('node'), fc.constant(undefined))), { maxLength: 4 }).map((entries) => {
    const object: Record<string, unknown> = {};
    // defineProperty, so that a `__proto__` key is the object's own data, as JSON.parse and the SDK's decoder make it.
    for (const [name, item] of entries) Object.defineProperty(object, name, { value: item, enumerable: true, writable: true, configurable: true });
    return object;
  }),
})).struct;

const resource = fc.record({
  resource: fc.option(struct, { nil: undefined }),
  connectionDetails: fc.dictionary(
    text,
    fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes)),
    { maxKeys: 3 },
  ),
  ready: fc.constantFrom(0, 1, 2),
});

const response: fc.Arbitrary<RunFunctionResponse> = fc.record({
  meta: fc.option(fc.record({ tag: text, ttl: fc.option(fc.record({ seconds: fc.oneof(fc.nat(), fc.constant(2 ** 40)), nanos: int32 }), { nil: undefined }) }), { nil: undefined }),
  desired: fc.option(fc.record({ composite: fc.option(resource, { nil: undefined }), resources: fc.dictionary(text, resource, { maxKeys: 3 }) }), { nil: undefined }),
  results: fc.array(fc.record({ severity: int32, message: text, reason: fc.option(text, { nil: undefined }), target: fc.option(int32, { nil: undefined }) }), { maxLength: 3 }),
  context: fc.option(struct, { nil: undefined }),
  requirements: fc.constant(undefined),
  conditions: fc.array(fc.record({ type: text, status: int32, reason: text, message: fc.option(text, { nil: undefined }), target: fc.option(int32, { nil: undefined }) }), {
    maxLength: 3,
  }),
  output: fc.option(struct, { nil: undefined }),
});

describe('encodeResponse', () => {
  it('gives the SDK’s bytes for any response it writes', () => {
    fc.assert(
      fc.property(response, (message) => {
        expect(encodeResponse(message)?.toString('hex')).toBe(bySdk(message).toString('hex'));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('gives the SDK’s bytes for the function’s own responses', () => {
    const input = { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: {} };
    const phase1 = runFunction(RunFunctionRequest.fromJSON(phase2Request({})));
    const workspace = phase1.desired!.resources['workspace']!.resource!;
    const requests = [
      RunFunctionRequest.fromPartial({ meta: { tag: 'w' }, observed: { composite: { resource: webhookXr() } }, input }),
      RunFunctionRequest.fromPartial({
        meta: { tag: 'e' },
        observed: { composite: { resource: eventbridgeXr() } },
        input,
        context: { 'apiextensions.crossplane.io/environment': { a: 1 } },
      }),
      RunFunctionRequest.fromPartial({
        meta: { tag: 'p' },
        observed: {
          composite: { resource: eventbridgeXr() },
          resources: { workspace: observed(workspace, { atProvider: { outputs: { id: 'est_1', aws_partner_event_source: PARTNER_SOURCE } }, conditions: [readyCondition] }) },
        },
        input: { ...input, spec: { routes: [{ name: 'r', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:sqs:eu-west-1:123456789012:q' }] }] } },
      }),
      RunFunctionRequest.fromPartial({ meta: { tag: 'bad' }, observed: { composite: { resource: webhookXr({ spec: { destination_type: 'kafka' } }) } }, input }),
      ...Array.from({ length: 8 }, (_, variant) => RunFunctionRequest.fromJSON(phase2Request(workspace, variant))),
    ];
    for (const request of requests) {
      const answer = runFunction(request);
      expect(answer.results.length + Object.keys(answer.desired?.resources ?? {}).length).toBeGreaterThan(0);
      expect(encodeResponse(answer)?.toString('hex')).toBe(bySdk(answer).toString('hex'));
    }
  });

  it('gives the SDK’s bytes for responses larger than its buffer, and for small ones after them', () => {
    const item = (i: number) => ({ name: `item-${i}`, note: 'é'.repeat(i % 7), n: i, list: [i, null, true, 'x'.repeat(i % 90)] });
    const sizes = [10, 2_000, 40_000, 3];
    for (const count of sizes) {
      const message: RunFunctionResponse = {
        meta: { tag: 'big', ttl: { seconds: 60, nanos: 0 } },
        desired: { composite: undefined, resources: { r: { resource: { items: Array.from({ length: count }, (_, i) => item(i)) }, connectionDetails: {}, ready: 1 } } },
        results: [{ severity: 3, message: 'm'.repeat(count), reason: 'r', target: 1 }],
        context: { blob: 'z'.repeat(count * 10) },
        requirements: undefined,
        conditions: [],
      };
      const ours = encodeResponse(message);
      expect(ours?.length).toBe(bySdk(message).length);
      expect(ours?.equals(bySdk(message))).toBe(true);
    }
  });

  it('leaves to the SDK what it does not write: requirements, and values the SDK refuses', () => {
    const base: RunFunctionResponse = { meta: { tag: 't', ttl: undefined }, desired: undefined, results: [], conditions: [], requirements: undefined };
    expect(encodeResponse(base)).toStrictEqual(bySdk(base));
    expect(encodeResponse({ ...base, requirements: { extraResources: {}, resources: {}, schemas: {} } })).toBeUndefined();
    expect(encodeResponse({ ...base, context: { f: () => 1 } })).toBeUndefined();
    expect(encodeResponse({ ...base, context: { n: 1n } })).toBeUndefined();
    expect(encodeResponse({ ...base, results: [{ severity: 1.5 as never, message: 'm', reason: undefined, target: undefined }] })).toBeUndefined();
    expect(encodeResponse({ ...base, meta: { tag: 't', ttl: { seconds: -1, nanos: 0 } } })).toBeUndefined();
  });
});
