/**
 * Responses that hold only until a given time (those carrying a delivery health reading): the cache answers
 * with them until then, both when reading a request's bytes and in the handler, and not after; responses
 * without an expiry are kept as before, and one that has already expired is not kept at all.
 */
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { expect, it } from 'vitest';
import { ResponseCache } from '../../src/crossplane/response-cache.js';

const encodeResponse = (value: RunFunctionResponse) => Buffer.from(RunFunctionResponse.encode(value).finish());
const encodeRequest = (tag: string) => Buffer.from(RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ meta: { tag } })).finish());

it('answers from the cache until the response expires', async () => {
  const clock = { now: 1_000 };
  const expiry = new WeakMap<RunFunctionResponse, number>();
  const cache = new ResponseCache({ maxEntries: 16, maxBytes: 1024 * 1024 }, encodeResponse, { expiresAt: (response) => expiry.get(response), now: () => clock.now });
  const handled: string[] = [];
  const handler = cache.around((request) => {
    const tag = request.meta?.tag ?? '';
    handled.push(tag);
    const response = RunFunctionResponse.fromPartial({ meta: { tag } });
    if (tag.startsWith('expiring')) expiry.set(response, clock.now + 500);
    if (tag.startsWith('expired')) expiry.set(response, clock.now);
    return response;
  });
  const decoder = cache.decoder((bytes) => RunFunctionRequest.decode(bytes));
  const ask = async (tag: string) => handler(decoder(encodeRequest(tag)));

  // A response is kept the second time its tag comes.
  for (const tag of ['expiring', 'forever', 'expired', 'expiring', 'forever', 'expired']) await ask(tag);
  handled.length = 0;
  clock.now += 499;
  for (const tag of ['expiring', 'forever', 'expired']) await ask(tag);
  expect(handled, 'within the expiry only the expired one is handled again').toStrictEqual(['expired']);

  clock.now += 1;
  await ask('expiring');
  await ask('forever');
  expect(handled.slice(1), 'at its expiry it is handled again; the other is still cached').toStrictEqual(['expiring']);
  expect(cache.size).toBe(2);
});
