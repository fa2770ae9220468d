/**
 * A small client for the event stream part of a tenant's Management API: read streams and failed deliveries,
 * send a test event, ask for redelivery. Built on the auth0 SDK (loaded on first use) and on the transport,
 * which retries and explains failures. Every method either returns parsed data or throws a TenantError whose
 * message is ready for the user.
 *
 * It holds no Node.js-specific code beyond `fetch`, so the Crossplane server can use it as the CLI does. A caller
 * that must not wait (a reconcile) passes its own policy: `retry: {maxRetries: 0, maxWaitSeconds: 0}` and a short
 * `attemptTimeoutSeconds`. When a request fails, the SDK keeps its per-call timer until it fires (at most the
 * call budget computed below); a one-shot command exits explicitly, a server can ignore it.
 */
import { TenantError, findTenantError } from './errors.js';
import type { TenantCredentials } from './credentials.js';
import { parseDelivery, parseStream, type FailedDelivery, type LiveStream } from './model.js';
import type { EventStreamsClient } from './sdk.js';
import { createTransport, DEFAULT_RETRY, type TransportOptions } from './transport.js';

export interface TenantClient {
  /** The tenant's domain, as the requests use it. */
  readonly domain: string;
  /** Every event stream of the tenant, following `next` until the last page. */
  listStreams(): Promise<LiveStream[]>;
  /** Undefined when the tenant has no stream with this id. */
  getStream(id: string): Promise<LiveStream | undefined>;
  /** Failed deliveries since `window.from`, newest pages first as Auth0 returns them, at most `limit`. */
  listFailedDeliveries(id: string, window: DeliveryWindow, limit?: number): Promise<FailedDeliveries>;
  /** `POST /event-streams/{id}/test`: Auth0 sends one test event of this type. */
  sendTestEvent(id: string, eventType: string): Promise<FailedDelivery | undefined>;
  /** `POST /event-streams/{id}/redeliver`: every failed event of the window (and of these types, when given). */
  redeliver(id: string, window: DeliveryWindow, eventTypes?: readonly string[]): Promise<void>;
  /** `POST /event-streams/{id}/redeliver/{event_id}`. */
  redeliverEvent(id: string, eventId: string): Promise<void>;
}

export interface DeliveryWindow {
  readonly from: Date;
  readonly to?: Date;
}

export interface FailedDeliveries {
  readonly deliveries: readonly FailedDelivery[];
  /** More failures exist than `limit`. */
  readonly truncated: boolean;
}

export interface TenantClientOptions extends TransportOptions {
  readonly clientInfo?: { readonly name: string; readonly version: string };
}

/** The Management API accepts at most 100 items per page. */
const PAGE_SIZE = 100;
/** A tenant answering `next` forever must not keep a command running forever. */
const MAX_PAGES = 1000;
export const DEFAULT_DELIVERY_LIMIT = 1000;

/** What each operation needs, for the message when Auth0 answers 403. */
const SCOPES = {
  list: ['read:event_streams'],
  get: ['read:event_streams'],
  deliveries: ['read:event_streams', 'read:event_deliveries'],
  test: ['update:event_streams'],
  redeliver: ['update:event_deliveries'],
} as const;

export async function connectTenant(credentials: TenantCredentials, options: TenantClientOptions = {}): Promise<TenantClient> {
  const { openEventStreams } = await import('./sdk.js');
  const transport = createTransport(options);
  const retry = options.retry ?? DEFAULT_RETRY;
  const attemptSeconds = options.attemptTimeoutSeconds ?? 30;
  const streams = openEventStreams(credentials, {
    fetch: transport,
    // Enough for every attempt and every wait the transport may take; the transport enforces the real limits.
    callTimeoutSeconds: (retry.maxRetries + 1) * attemptSeconds + retry.maxRetries * retry.maxWaitSeconds + 10,
    ...(options.clientInfo ? { clientInfo: options.clientInfo } : {}),
  });
  return new SdkTenantClient(credentials.domain, streams);
}

class SdkTenantClient implements TenantClient {
  constructor(
    readonly domain: string,
    private readonly streams: EventStreamsClient,
  ) {}

  async listStreams(): Promise<LiveStream[]> {
    const where = 'GET /api/v2/event-streams';
    return call(SCOPES.list, async () => {
      let page = await this.streams.list({ take: PAGE_SIZE });
      const found: LiveStream[] = page.data.map((item) => parseStream(item, where));
      const cursors = new Set<string>();
      for (let pages = 1; page.hasNextPage(); pages++) {
        const cursor = String((page.response as { next?: unknown }).next);
        if (cursors.has(cursor) || pages >= MAX_PAGES) {
          throw new TenantError('api', `Auth0 at ${this.domain} keeps paging ${where} (cursor ${JSON.stringify(cursor)} after ${pages} pages); stopped.`);
        }
        cursors.add(cursor);
        page = await page.getNextPage();
        for (const item of page.data) found.push(parseStream(item, where));
      }
      return found;
    });
  }

  async getStream(id: string): Promise<LiveStream | undefined> {
    try {
      return await call(SCOPES.get, async () => parseStream(await this.streams.get(id), `GET /api/v2/event-streams/${id}`));
    } catch (error) {
      if (error instanceof TenantError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  async listFailedDeliveries(id: string, window: DeliveryWindow, limit = DEFAULT_DELIVERY_LIMIT): Promise<FailedDeliveries> {
    const where = `GET /api/v2/event-streams/${id}/deliveries`;
    return call(SCOPES.deliveries, async () => {
      let page = await this.streams.deliveries.list(id, {
        statuses: 'failed',
        date_from: rfc3339(window.from),
        ...(window.to ? { date_to: rfc3339(window.to) } : {}),
        take: PAGE_SIZE,
      });
      const deliveries: FailedDelivery[] = [];
      const cursors = new Set<string>();
      for (let pages = 1; ; pages++) {
        for (const item of deliveryItems(page.response, page.data)) deliveries.push(parseDelivery(item, where));
        if (deliveries.length >= limit) return { deliveries: deliveries.slice(0, limit), truncated: deliveries.length > limit || page.hasNextPage() };
        if (!page.hasNextPage()) return { deliveries, truncated: false };
        const cursor = String((page.response as { next?: unknown }).next);
        if (cursors.has(cursor) || pages >= MAX_PAGES) return { deliveries, truncated: true };
        cursors.add(cursor);
        page = await page.getNextPage();
      }
    });
  }

  async sendTestEvent(id: string, eventType: string): Promise<FailedDelivery | undefined> {
    const where = `POST /api/v2/event-streams/${id}/test`;
    return call(SCOPES.test, async () => {
      // The SDK types event_type as its enum; the caller has checked the type against the known ones.
      const answer: unknown = await this.streams.test(id, { event_type: eventType as never });
      return answer !== null && typeof answer === 'object' && 'id' in answer ? parseDelivery(answer, where) : undefined;
    });
  }

  async redeliver(id: string, window: DeliveryWindow, eventTypes: readonly string[] = []): Promise<void> {
    await call(SCOPES.redeliver, async () => {
      await this.streams.redeliveries.create(id, {
        date_from: rfc3339(window.from),
        ...(window.to ? { date_to: rfc3339(window.to) } : {}),
        statuses: ['failed'],
        ...(eventTypes.length > 0 ? { event_types: [...eventTypes] as never[] } : {}),
      });
    });
  }

  async redeliverEvent(id: string, eventId: string): Promise<void> {
    await call(SCOPES.redeliver, async () => {
      await this.streams.redeliveries.createById(id, eventId);
    });
  }
}

/**
 * Deliveries come as `{deliveries, next}` (SDK 7) or, in older descriptions of the API, as a bare array; the
 * SDK's page only knows the first.
 */
function deliveryItems(response: unknown, items: readonly unknown[]): readonly unknown[] {
  return Array.isArray(response) ? response : items;
}

/** Runs one SDK call and turns whatever it throws into a TenantError with a useful message. */
async function call<T>(scopes: readonly string[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const known = findTenantError(error);
    if (known?.kind === 'forbidden' && !known.message.includes('Management API token')) {
      throw new TenantError(
        'forbidden',
        `${known.message}: grant the application the scope${scopes.length > 1 ? 's' : ''} ${scopes.join(' and ')} ` +
          '(Applications > APIs > Auth0 Management API > Machine to Machine Applications).',
        known.status,
        known,
      );
    }
    if (known !== undefined) throw known;
    if (error instanceof TenantError) throw error;
    const status = statusOf(error);
    throw new TenantError(
      'api',
      `the Management API answered something this tool does not understand${status === undefined ? '' : ` (status ${status})`}: ${error instanceof Error ? error.message : String(error)}`,
      status,
    );
  }
}

function statusOf(error: unknown): number | undefined {
  const status = error !== null && typeof error === 'object' ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}

/** RFC 3339 without fractions of a second, as the deliveries and redeliver endpoints require. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
