/**
 * Responses by request tag. Crossplane tags each request with a hash of its content ("Requests with identical
 * tags will be otherwise identical", run_function.proto), and the expansion depends on nothing but the
 * request, so an XR reconciled again without changes gets the answer it got before — without decoding the
 * request, expanding, or (with `serializeOnce`) encoding again. Untagged requests are never cached.
 */
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { LruMap } from '../core/lru.js';
import { requestTag } from './request-tag.js';
import type { RunFunctionHandler } from './server.js';

/** Carried by a request that was answered from the cache while it was being read (see `decoder`). */
const ANSWER = Symbol('cached answer');
type AnsweredRequest = RunFunctionRequest & { readonly [ANSWER]?: RunFunctionResponse };

export class ResponseCache {
  readonly #responses: LruMap<string, RunFunctionResponse>;

  /** `capacity` 0 turns caching off. */
  constructor(private readonly capacity: number) {
    this.#responses = new LruMap(capacity);
  }

  /** The handler, answering tags it has seen from the cache and remembering what it answers. */
  around(handler: RunFunctionHandler): RunFunctionHandler {
    if (this.capacity <= 0) return handler;
    return async (request: AnsweredRequest) => {
      const tag = request.meta?.tag ?? '';
      const cached = request[ANSWER] ?? this.#get(tag);
      if (cached !== undefined) return cached;
      const response = await handler(request);
      if (tag !== '' && !response.results.some((result) => result.reason === 'InternalError')) this.#responses.set(tag, response);
      return response;
    };
  }

  /**
   * The request decoder, which skips decoding a request whose tag is cached: the answer is taken at once and
   * travels with a request that holds only the tag, so an eviction in between cannot leave it unanswered.
   */
  decoder(decode: (bytes: Buffer) => RunFunctionRequest): (bytes: Buffer) => RunFunctionRequest {
    if (this.capacity <= 0) return decode;
    return (bytes) => {
      const tag = requestTag(bytes);
      const cached = tag === undefined ? undefined : this.#get(tag);
      if (cached === undefined) return decode(bytes);
      const answered: AnsweredRequest = Object.assign(RunFunctionRequest.fromPartial({ meta: { tag } }), { [ANSWER]: cached });
      return answered;
    };
  }

  #get(tag: string): RunFunctionResponse | undefined {
    return tag === '' ? undefined : this.#responses.get(tag);
  }
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
