/**
 * Readings of streams' delivery health from the Auth0 Management API, for the Crossplane server: at most one
 * per interval per stream (keyed by tenant and stream id, a bounded number of streams), never more than a few
 * at once, and never holding a RunFunction call for long. A call that finds no reading yet waits a short
 * while for the one it starts; a call that finds an expired reading gets it at once while a new one is read
 * in the background. Only GET requests reach the Management API (and the token request).
 *
 * The auth0 SDK and the tenant client are loaded on the first reading, so a server that never reads starts
 * without them.
 */
import { createHash } from 'node:crypto';
import { LruMap } from '../core/lru.js';
import { redactUrlsIn } from '../core/redaction.js';
import type { FailedDeliveries, TenantClient, TenantClientOptions } from '../tenant/client.js';
import type { TenantCredentials } from '../tenant/credentials.js';
import { findTenantError } from '../tenant/errors.js';
import { printable, Redactor, truncate } from '../tenant/output.js';
import type { HealthReading, LastFailure } from './delivery-health-condition.js';
import type { Logger } from './logger.js';

export interface ReadingRequest {
  /** With the domain normalized (`normalizeDomain`). */
  readonly credentials: TenantCredentials;
  readonly streamId: string;
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  readonly maxFailures: number;
}

export interface Observation {
  /** The newest reading made with these credentials; undefined while the first one is on its way. */
  readonly reading?: HealthReading;
  /** True when `reading` is within its interval; false when it is older, or absent, and a new one is on its way. */
  readonly fresh: boolean;
  /** Until when a fresh reading holds (ms since the epoch). */
  readonly expiresAt: number;
}

export type Connect = (credentials: TenantCredentials, options: TenantClientOptions) => Promise<TenantClient>;

export interface MonitorOptions {
  /** How the monitor reaches a tenant; the tenant client by default (tests pass a fake). */
  readonly connect?: Connect;
  readonly now?: () => number;
  /** How long a call that starts the first reading of a stream waits for it. @default 3000 */
  readonly firstReadingWaitMs?: number;
  /** How long one request to Auth0 may take. @default 10 */
  readonly attemptTimeoutSeconds?: number;
  /** Streams whose readings are kept. @default 4096 */
  readonly maxStreams?: number;
  /** Readings made at the same time; the others queue. @default 4 */
  readonly maxConcurrentReadings?: number;
  readonly logger?: Logger;
}

/** Enough failed deliveries for one page; more are read only when the threshold needs them. */
const MIN_DELIVERY_LIMIT = 100;
const MAX_CLIENTS = 16;
const MAX_TOKENS_PER_CLIENT = 16;
const MAX_ERROR_TEXT = 300;

interface Settled {
  readonly reading: HealthReading;
  readonly fingerprint: string;
  readonly windowSeconds: number;
  readonly limit: number;
  readonly expiresAt: number;
}

interface Flight {
  readonly fingerprint: string;
  readonly done: Promise<void>;
}

interface StreamEntry {
  settled?: Settled;
  flight?: Flight | undefined;
}

interface ClientEntry {
  readonly client: Promise<TenantClient>;
  readonly tokens: Set<string>;
}

export class DeliveryHealthMonitor {
  readonly #streams: LruMap<string, StreamEntry>;
  readonly #clients = new LruMap<string, ClientEntry>(MAX_CLIENTS);
  readonly #connect: Connect;
  readonly #now: () => number;
  readonly #firstWaitMs: number;
  readonly #attemptTimeoutSeconds: number;
  readonly #logger: Logger | undefined;
  readonly #slots: Slots;

  constructor(options: MonitorOptions = {}) {
    this.#streams = new LruMap(options.maxStreams ?? 4096);
    this.#connect = options.connect ?? connectTenantLazily;
    this.#now = options.now ?? Date.now;
    this.#firstWaitMs = options.firstReadingWaitMs ?? 3000;
    this.#attemptTimeoutSeconds = options.attemptTimeoutSeconds ?? 10;
    this.#logger = options.logger;
    this.#slots = new Slots(options.maxConcurrentReadings ?? 4);
  }

  /** Seconds a call that starts the first reading of a stream waits for it. */
  get firstReadingWaitSeconds(): number {
    return this.#firstWaitMs / 1000;
  }

  async observe(request: ReadingRequest): Promise<Observation> {
    const fingerprint = fingerprintOf(request.credentials);
    const key = `${request.credentials.domain}\n${request.streamId}`;
    const limit = Math.max(MIN_DELIVERY_LIMIT, request.maxFailures + 1);
    let entry = this.#streams.get(key);
    if (entry === undefined) {
      entry = {};
      this.#streams.set(key, entry);
    }
    const usable = (settled: Settled | undefined): settled is Settled =>
      settled !== undefined && settled.fingerprint === fingerprint && settled.windowSeconds === request.windowSeconds && settled.limit >= limit;
    const observation = (fresh: boolean): Observation => {
      const settled = usable(entry.settled) ? entry.settled : undefined;
      const expiresAt = settled?.expiresAt ?? this.#now();
      return settled ? { reading: settled.reading, fresh, expiresAt } : { fresh, expiresAt };
    };
    const isFresh = (): boolean => usable(entry.settled) && entry.settled.expiresAt > this.#now();
    if (isFresh()) return observation(true);
    const known = usable(entry.settled);
    if (entry.flight?.fingerprint !== fingerprint) {
      const flight = this.#startReading(entry, request, fingerprint, limit);
      if (!known) await withinMs(flight.done, this.#firstWaitMs);
    }
    return observation(isFresh());
  }

  #startReading(entry: StreamEntry, request: ReadingRequest, fingerprint: string, limit: number): Flight {
    let finish!: () => void;
    const flight: Flight = { fingerprint, done: new Promise<void>((resolve) => (finish = resolve)) };
    entry.flight = flight;
    const read = async (): Promise<void> => {
      const started = this.#now();
      const reading = await this.#read(request, limit);
      // A reading started for other credentials since this one began wins: this one is dropped.
      if (entry.flight === flight) {
        entry.settled = { reading, fingerprint, windowSeconds: request.windowSeconds, limit, expiresAt: this.#now() + request.intervalSeconds * 1000 };
      }
      this.#log(request.streamId, reading, this.#now() - started);
    };
    this.#slots
      .run(read)
      .catch((error: unknown) => this.#logger?.error('delivery health: reading failed', { stream: request.streamId, error: error instanceof Error ? error.name : typeof error }))
      .finally(() => {
        if (entry.flight === flight) entry.flight = undefined;
        finish();
      });
    return flight;
  }

  async #read(request: ReadingRequest, limit: number): Promise<HealthReading> {
    // Text from Auth0 may echo what it was sent: the client secret and the tokens go before anything else.
    const clean = (text: string): string => cleanText(this.#redactor(request.credentials).redact(text));
    try {
      const client = await this.#client(request.credentials);
      // The stream first, its deliveries only when it exists: a refused deliveries query then names the scope.
      const stream = await client.getStream(request.streamId);
      if (stream === undefined) return { kind: 'not-found' };
      const from = new Date(Math.floor(this.#now() / 1000) * 1000 - request.windowSeconds * 1000);
      const failures = await client.listFailedDeliveries(request.streamId, { from }, limit);
      return { kind: 'stream', status: clean(stream.status), failures: summarize(failures, clean) };
    } catch (error) {
      const known = findTenantError(error);
      if (known === undefined) return { kind: 'failed', failure: { kind: 'api', detail: error instanceof Error ? clean(error.name) : 'unexpected error' } };
      return {
        kind: 'failed',
        failure: {
          kind: known.kind,
          ...(known.status !== undefined ? { status: known.status } : {}),
          ...(known.endpoint !== undefined ? { endpoint: clean(known.endpoint) } : {}),
          ...(known.detail !== undefined ? { detail: clean(known.detail) } : {}),
        },
      };
    }
  }

  /** One client per credentials, so the SDK's token is reused until it expires. */
  #client(credentials: TenantCredentials): Promise<TenantClient> {
    const fingerprint = fingerprintOf(credentials);
    let entry = this.#clients.get(fingerprint);
    if (entry === undefined) {
      const tokens = new Set<string>();
      const client = this.#connect(credentials, {
        retry: { maxRetries: 0, maxWaitSeconds: 0 },
        attemptTimeoutSeconds: this.#attemptTimeoutSeconds,
        onSecret: (token) => {
          if (tokens.has(token)) return;
          if (tokens.size >= MAX_TOKENS_PER_CLIENT) tokens.delete(tokens.values().next().value!);
          tokens.add(token);
        },
      });
      entry = { client, tokens };
      this.#clients.set(fingerprint, entry);
      // A client that could not be made is not kept: the next reading tries again.
      client.catch(() => {
        if (this.#clients.get(fingerprint) === entry) this.#clients.delete(fingerprint);
      });
    }
    return entry.client;
  }

  /** Scrubs the client secret and every token the client for these credentials sent. */
  #redactor(credentials: TenantCredentials): Redactor {
    const redactor = new Redactor();
    redactor.add(credentials.clientSecret);
    for (const token of this.#clients.get(fingerprintOf(credentials))?.tokens ?? []) redactor.add(token);
    return redactor;
  }

  #log(streamId: string, reading: HealthReading, durationMs: number): void {
    if (reading.kind === 'failed') {
      this.#logger?.warn('delivery health: Auth0 could not be read', { stream: streamId, problem: reading.failure.kind, status: reading.failure.status, durationMs });
    } else {
      this.#logger?.debug('delivery health read', { stream: streamId, found: reading.kind === 'stream' ? reading.status : 'not-found', durationMs });
    }
  }
}

async function connectTenantLazily(credentials: TenantCredentials, options: TenantClientOptions): Promise<TenantClient> {
  const { connectTenant } = await import('../tenant/client.js');
  return connectTenant(credentials, options);
}

/** Tells credentials apart without keeping the secret in a key. */
function fingerprintOf(credentials: TenantCredentials): string {
  return createHash('sha256').update(`${credentials.domain}\0${credentials.clientId}\0${credentials.clientSecret}`).digest('base64url');
}

function summarize(failures: FailedDeliveries, clean: (text: string) => string): { count: number; truncated: boolean; last?: LastFailure } {
  let latest: FailedDeliveries['deliveries'][number] | undefined;
  for (const delivery of failures.deliveries) {
    if (delivery.lastAttemptAt !== undefined && (latest === undefined || delivery.lastAttemptAt > latest.lastAttemptAt!)) latest = delivery;
  }
  const last: LastFailure | undefined =
    latest === undefined
      ? undefined
      : { at: clean(latest.lastAttemptAt!), eventType: clean(latest.eventType), ...(latest.lastError !== undefined ? { error: clean(latest.lastError) } : {}) };
  return { count: failures.deliveries.length, truncated: failures.truncated, ...(last ? { last } : {}) };
}

/** Text from Auth0 as a condition may carry it: URLs without userinfo or query, one line, bounded. */
function cleanText(text: string): string {
  return truncate(printable(redactUrlsIn(text)), MAX_ERROR_TEXT);
}

/** Resolves when `promise` does or after `ms`, whichever comes first; the timer never outlives it. */
async function withinMs(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** At most `limit` tasks at once; the rest wait in order. */
class Slots {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run(task: () => Promise<void>): Promise<void> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running += 1;
    try {
      await task();
    } finally {
      this.#running -= 1;
      this.#waiting.shift()?.();
    }
  }
}
