/**
 * Responses by request tag. Crossplane tags each request with a hash of its content ("Requests with identical
 * tags will be otherwise identical", run_function.proto), and the expansion depends on nothing but the
 * request, so an XR reconciled again without changes gets the answer it got before — without decoding the
 * request, expanding, or encoding again. Untagged requests are never cached.
 *
 * Only the encoded response is kept, and the cache is bounded by those bytes as well as by the number of
 * entries: its memory is what the flags say, whatever the requests are.
 *
 * A response is kept the second time its tag comes, not the first: most tags are never seen again (every change
 * of the XR or of what Crossplane observes makes a new one, and a new XR goes through several), while an XR at
 * rest sends the same tag on every reconcile. Keeping only those costs one more expansion per XR at rest, and
 * spares the cache, and the garbage collector, every answer that would never be asked for again.
 */
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { reasonOf, withFields } from '../core/index.js';
import { LruMap } from '../core/lru.js';
import { requestTag } from './request-tag.js';
import type { RunFunctionHandler } from './server.js';

export interface CacheLimits {
  /** Responses kept; 0 turns caching off. */
  readonly maxEntries: number;
  /** Bytes of encoded responses kept; 0 turns caching off. */
  readonly maxBytes: number;
}

export interface CacheOptions {
  /** Until when a response may be answered again (ms since the epoch); undefined: for as long as it is kept. */
  readonly expiresAt?: (response: RunFunctionResponse) => number | undefined;
  readonly now?: () => number;
}

/** What the debug log says about a response, known also for one answered from its bytes. */
export interface ResponseSummary {
  readonly desiredResources: number;
  readonly results: number;
  readonly cached: boolean;
}

interface Encoding {
  readonly bytes: Buffer;
  readonly desiredResources: number;
  readonly results: number;
  readonly cached: boolean;
}

/** A cached answer: a small response object that stands for its bytes (see `encodings`). */
interface Entry {
  readonly bytes: Buffer;
  readonly answer: RunFunctionResponse;
  readonly expiresAt?: number;
}

/** Carried by a request that was answered from the cache while it was being read (see `decoder`). */
const ANSWER = Symbol('cached answer');
type AnsweredRequest = RunFunctionRequest & { readonly [ANSWER]?: RunFunctionResponse };

/** Responses whose encoding is already known: cached answers, and fresh ones encoded to be cached. */
const encodings = new WeakMap<RunFunctionResponse, Encoding>();

/** Tags seen once are remembered up to this many times the entries the cache keeps... */
const SEEN_PER_ENTRY = 4;
/** ...and this many characters of tags (Crossplane's are 64 each), whatever the requests are. */
export const MAX_SEEN_TAG_CHARS = 1 << 20;

export class ResponseCache {
  readonly #entries: LruMap<string, Entry>;
  /** Tags seen once, with their length. */
  readonly #seenOnce: LruMap<string, number>;
  readonly #enabled: boolean;
  readonly #expiresAt: ((response: RunFunctionResponse) => number | undefined) | undefined;
  readonly #now: () => number;

  constructor(
    limits: CacheLimits,
    private readonly encode: (response: RunFunctionResponse) => Buffer,
    options: CacheOptions = {},
  ) {
    this.#enabled = limits.maxEntries > 0 && limits.maxBytes > 0;
    this.#expiresAt = options.expiresAt;
    this.#now = options.now ?? Date.now;
    this.#entries = new LruMap({ maxEntries: limits.maxEntries, maxWeight: limits.maxBytes, weigh: (entry) => entry.bytes.length });
    this.#seenOnce = new LruMap({ maxEntries: limits.maxEntries * SEEN_PER_ENTRY, maxWeight: MAX_SEEN_TAG_CHARS, weigh: (length) => length });
  }

  /** The handler, answering tags it has seen from the cache and remembering what it answers. */
  around(handler: RunFunctionHandler): RunFunctionHandler {
    if (!this.#enabled) return handler;
    return async (request: AnsweredRequest) => {
      const tag = request.meta?.tag ?? '';
      const cached = request[ANSWER] ?? this.#answer(tag);
      if (cached !== undefined) return cached;
      const response = await handler(request);
      if (tag === '' || response.results.some((result) => result.reason === reasonOf('internal-error'))) return response;
      if (this.#seenOnce.get(tag) === undefined) {
        this.#seenOnce.set(tag, tag.length);
        return response;
      }
      this.#seenOnce.delete(tag);
      const expiresAt = this.#expiresAt?.(response);
      if (expiresAt !== undefined && expiresAt <= this.#now()) return response;
      const encoding: Encoding = {
        bytes: this.encode(response),
        desiredResources: Object.keys(response.desired?.resources ?? {}).length,
        results: response.results.length,
        cached: false,
      };
      encodings.set(response, encoding);
      const answer: RunFunctionResponse = { meta: { tag, ttl: undefined }, desired: undefined, results: [], conditions: [], requirements: undefined };
      encodings.set(answer, withFields(encoding, { cached: true }));
      this.#entries.set(tag, { bytes: encoding.bytes, answer, ...(expiresAt !== undefined ? { expiresAt } : {}) });
      return response;
    };
  }

  /**
   * The request decoder, which skips decoding a request whose tag is cached: the answer is taken at once and
   * travels with a request that holds only the tag, so an eviction in between cannot leave it unanswered.
   */
  decoder(decode: (bytes: Buffer) => RunFunctionRequest): (bytes: Buffer) => RunFunctionRequest {
    if (!this.#enabled) return decode;
    return (bytes) => {
      const tag = requestTag(bytes);
      const cached = tag === undefined ? undefined : this.#answer(tag);
      if (tag === undefined || cached === undefined) return decode(bytes);
      const answered: AnsweredRequest = Object.assign(RunFunctionRequest.fromPartial({ meta: { tag } }), { [ANSWER]: cached });
      return answered;
    };
  }

  /** Bytes of the encoded responses kept now. */
  get bytes(): number {
    return this.#entries.weight;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Characters of the tags remembered as seen once. */
  get seenTagChars(): number {
    return this.#seenOnce.weight;
  }

  /** The response object standing for cached bytes: the serializer writes the bytes, nothing is decoded. */
  #answer(tag: string): RunFunctionResponse | undefined {
    const entry = tag === '' ? undefined : this.#entries.get(tag);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.#now()) {
      this.#entries.delete(tag);
      // A tag asked for again: its next answer is kept at once.
      this.#seenOnce.set(tag, tag.length);
      return undefined;
    }
    return entry?.answer;
  }
}

/** The response serializer: a response whose bytes are known is not encoded again. */
export function knownEncodings(serialize: (response: RunFunctionResponse) => Buffer): (response: RunFunctionResponse) => Buffer {
  return (response) => encodings.get(response)?.bytes ?? serialize(response);
}

export function summarize(response: RunFunctionResponse): ResponseSummary {
  const known = encodings.get(response);
  if (known !== undefined) return { desiredResources: known.desiredResources, results: known.results, cached: known.cached };
  return { desiredResources: Object.keys(response.desired?.resources ?? {}).length, results: response.results.length, cached: false };
}
