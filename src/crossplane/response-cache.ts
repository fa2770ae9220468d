/**
 * Responses by request tag. Crossplane tags each request with a hash of its content ("Requests with identical
 * tags will be otherwise identical", run_function.proto), and the expansion depends on nothing but the
 * request, so an XR reconciled again without changes gets the answer it got before — and, with
 * `serializeOnce`, the same bytes, without expanding or encoding again. Untagged requests are never cached.
 */
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { RunFunctionHandler } from './server.js';

export function cachedByTag(handler: RunFunctionHandler, capacity: number): RunFunctionHandler {
  if (capacity <= 0) return handler;
  const responses = new Map<string, RunFunctionResponse>();
  return async (request: RunFunctionRequest) => {
    const tag = request.meta?.tag ?? '';
    const cached = tag === '' ? undefined : responses.get(tag);
    if (cached !== undefined) {
      responses.delete(tag);
      responses.set(tag, cached); // most recently used last
      return cached;
    }
    const response = await handler(request);
    if (tag !== '' && !response.results.some((result) => result.reason === 'InternalError')) {
      responses.set(tag, response);
      if (responses.size > capacity) responses.delete(responses.keys().next().value!);
    }
    return response;
  };
}

/** Wraps a serializer so the same response object is encoded once. */
export function serializeOnce<T extends object>(serialize: (value: T) => Buffer): (value: T) => Buffer {
  const encoded = new WeakMap<T, Buffer>();
  return (value) => {
    let bytes = encoded.get(value);
    if (bytes === undefined) {
      bytes = serialize(value);
      encoded.set(value, bytes);
    }
    return bytes;
  };
}
