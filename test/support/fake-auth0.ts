/**
 * A fake Auth0 Management API for the tenant commands, served over HTTPS on 127.0.0.1 with a certificate made
 * at test time (openssl, see certs.ts). Only the child process under test trusts it (NODE_EXTRA_CA_CERTS).
 *
 * Shapes follow the Management API v2 as documented (see README "Existing streams"): `/oauth/token` (client credentials),
 * `GET /api/v2/event-streams` paged with `from`/`take` and `{eventStreams, next}`, `GET /event-streams/{id}`,
 * `GET /event-streams/{id}/deliveries` (failed deliveries, filtered by date), `POST /test`, `POST /redeliver`,
 * `POST /redeliver/{event_id}`; 400 for malformed ids and parameters, 401 for bad credentials or tokens, 403
 * for missing scopes, 404 for unknown streams, 409 for events that cannot be redelivered, and 429 on demand.
 * Every request is recorded, so tests can assert exactly what a command asked.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { makeCertificates } from './certs.js';

export interface FakeClient {
  readonly id: string;
  readonly secret: string;
  readonly scopes: readonly string[];
  /** False: the application has no grant for the Management API (the token endpoint answers 403). */
  readonly authorized?: boolean;
}

/** An event stream as the Management API returns it. */
export interface ApiStream {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly subscriptions: readonly { readonly event_type: string }[];
  readonly destination: { readonly type: string; readonly configuration: Record<string, unknown> };
  readonly created_at: string;
  readonly updated_at: string;
}

/** A failed delivery as the Management API returns it. */
export interface ApiDelivery {
  readonly id: string;
  readonly event_stream_id: string;
  readonly status: 'failed';
  readonly event_type: string;
  readonly attempts: readonly { readonly status: 'failed'; readonly timestamp: string; readonly error_message?: string }[];
  readonly event?: { readonly id: string; readonly type: string; readonly time: string; readonly source: string; readonly specversion: '1.0'; readonly data: string };
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly authorization?: string;
  /** When the request arrived (ms since the epoch). */
  readonly at: number;
}

export interface FakeAuth0Options {
  readonly clients: readonly FakeClient[];
  /** Tests may change a running fake's streams and deliveries. */
  streams?: readonly ApiStream[];
  deliveries?: Readonly<Record<string, readonly ApiDelivery[]>>;
  /** The server never returns more than this many items per page, whatever `take` asks. */
  readonly pageSize?: number;
  /** `object`: `{deliveries, next}` (auth0 SDK 7); `array`: a bare array, as older API descriptions show. */
  readonly deliveriesShape?: 'object' | 'array';
}

export interface ForcedAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const STREAM_ID = /^est_[A-Za-z0-9]{22}$/;
const EVENT_ID = /^evt_[A-Za-z0-9]{22}$/;
const RFC3339_NO_FRACTION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/;

export class FakeAuth0 {
  readonly requests: RecordedRequest[] = [];
  /** Every access token handed out; tests assert none of them is printed. */
  readonly issuedTokens: string[] = [];
  private readonly tokens = new Map<string, readonly string[]>();
  private readonly forced: { match: (request: RecordedRequest) => boolean; remaining: number; answer: ForcedAnswer }[] = [];
  private tokenCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly domain: string,
    /** PEM of the CA that signed the server certificate; give it to the child as NODE_EXTRA_CA_CERTS. */
    readonly caFile: string,
    private readonly options: FakeAuth0Options,
  ) {}

  static async start(options: FakeAuth0Options): Promise<FakeAuth0> {
    const certificates = makeCertificates();
    const key = readFileSync(join(certificates.serverDir, 'tls.key'));
    const cert = readFileSync(join(certificates.serverDir, 'tls.crt'));
    const started: { fake?: FakeAuth0 } = {};
    const server = createServer({ key, cert }, (request, response) => {
      void started.fake!.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the fake Auth0 server has no port');
    started.fake = new FakeAuth0(server, `127.0.0.1:${address.port}`, join(certificates.serverDir, 'ca.crt'), options);
    return started.fake;
  }

  /** Replaces the tenant's streams and failed deliveries (the clients stay). */
  setTenant(streams: readonly ApiStream[], deliveries: Readonly<Record<string, readonly ApiDelivery[]>> = {}): void {
    this.options.streams = streams;
    this.options.deliveries = deliveries;
  }

  /** The next `times` requests `match` accepts are answered with `answer` (429 with Retry-After, say). */
  answerNext(match: (request: RecordedRequest) => boolean, times: number, answer: ForcedAnswer): void {
    this.forced.push({ match, remaining: times, answer });
  }

  /** Requests other than the token request, as `METHOD /path` (the path below /api/v2). */
  apiCalls(): string[] {
    return this.requests.filter((request) => request.path !== '/oauth/token').map((request) => `${request.method} ${request.path.replace(/^\/api\/v2/, '')}`);
  }

  reset(): void {
    this.requests.length = 0;
    this.forced.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `https://${this.domain}`);
    const text = await readBody(request);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseBody(text, request.headers['content-type']),
      ...(typeof request.headers.authorization === 'string' ? { authorization: request.headers.authorization } : {}),
      at: Date.now(),
    };
    this.requests.push(recorded);
    const forced = this.forced.find((entry) => entry.remaining > 0 && entry.match(recorded));
    if (forced !== undefined) {
      forced.remaining -= 1;
      send(response, forced.answer.status, forced.answer.body ?? apiError(forced.answer.status), forced.answer.headers);
      return;
    }
    const answer = this.route(recorded);
    send(response, answer.status, answer.body, answer.headers);
  }

  private route(request: RecordedRequest): ForcedAnswer {
    if (request.path === '/oauth/token') return request.method === 'POST' ? this.token(request) : notFound();
    const match = /^\/api\/v2\/event-streams(?:\/([^/]+)(?:\/(deliveries|test|redeliver)(?:\/([^/]+))?)?)?$/.exec(request.path);
    if (match === null) return notFound();
    const [, id, action, eventId] = match;
    const scopes = this.tokens.get(request.authorization?.replace(/^Bearer /, '') ?? '');
    if (scopes === undefined) return { status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Invalid token', attributes: { error: 'Invalid token' } } };
    const need = (...wanted: string[]): ForcedAnswer | undefined =>
      wanted.every((scope) => scopes.includes(scope))
        ? undefined
        : {
            status: 403,
            body: {
              statusCode: 403,
              error: 'Forbidden',
              message: `Insufficient scope, expected any of: ${wanted.filter((scope) => !scopes.includes(scope)).join(',')}`,
              errorCode: 'insufficient_scope',
            },
          };

    if (id === undefined) {
      if (request.method !== 'GET') return notFound();
      return need('read:event_streams') ?? this.list(request);
    }
    if (!STREAM_ID.test(id)) {
      return badRequest(
        `Path validation error: 'Object didn't pass validation for format event-stream-id: ${id}' on property id (Unique identifier for the event stream).`,
        'invalid_uri',
      );
    }
    const stream = (this.options.streams ?? []).find((candidate) => candidate.id === id);
    const missing = (): ForcedAnswer => ({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'The event stream does not exist.', errorCode: 'inexistent_event_stream' },
    });
    switch (`${request.method} ${action ?? ''}`) {
      case 'GET ':
        return need('read:event_streams') ?? (stream ? { status: 200, body: stream } : missing());
      case 'GET deliveries':
        if (eventId !== undefined) return notFound();
        return need('read:event_streams', 'read:event_deliveries') ?? (stream ? this.deliveries(id, request) : missing());
      case 'POST test':
        if (eventId !== undefined) return notFound();
        return need('update:event_streams') ?? (stream ? this.test(id, request) : missing());
      case 'POST redeliver':
        return need('update:event_deliveries') ?? (stream ? this.redeliver(id, eventId, request) : missing());
      default:
        return notFound();
    }
  }

  private token(request: RecordedRequest): ForcedAnswer {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const client = this.options.clients.find((candidate) => candidate.id === body['client_id']);
    if (body['grant_type'] !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' } };
    if (client === undefined || client.secret !== body['client_secret']) return { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } };
    const audience = `https://${this.domain}/api/v2/`;
    if (body['audience'] !== audience) return { status: 403, body: { error: 'access_denied', error_description: `Service not found: ${String(body['audience'])}` } };
    if (client.authorized === false) {
      return {
        status: 403,
        body: { error: 'access_denied', error_description: `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.` },
      };
    }
    this.tokenCounter += 1;
    const token = `fake-access-token-${this.tokenCounter}-${Math.random().toString(36).slice(2)}`;
    this.tokens.set(token, client.scopes);
    this.issuedTokens.push(token);
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 86400, scope: client.scopes.join(' ') } };
  }

  private list(request: RecordedRequest): ForcedAnswer {
    const page = this.page(request);
    if ('status' in page) return page;
    const streams = this.options.streams ?? [];
    const items = streams.slice(page.offset, page.offset + page.take);
    const nextOffset = page.offset + items.length;
    return { status: 200, body: { eventStreams: items, ...(nextOffset < streams.length ? { next: cursor(nextOffset) } : {}) } };
  }

  private deliveries(id: string, request: RecordedRequest): ForcedAnswer {
    const { date_from: from, date_to: to, statuses } = request.query;
    for (const [name, value] of [
      ['date_from', from],
      ['date_to', to],
    ] as const) {
      if (value !== undefined && !RFC3339_NO_FRACTION.test(value)) {
        return badRequest(`Query validation error: '${name}' must be an RFC-3339 date-time without sub-second precision.`, 'invalid_query_string');
      }
    }
    if (statuses !== undefined && statuses !== 'failed') return badRequest(`Query validation error: 'statuses' must be one of failed.`, 'invalid_query_string');
    const page = this.page(request);
    if ('status' in page) return page;
    const latest = (delivery: ApiDelivery): number => Math.max(...delivery.attempts.map((attempt) => Date.parse(attempt.timestamp)));
    const matching = (this.options.deliveries?.[id] ?? []).filter(
      (delivery) => (from === undefined || latest(delivery) >= Date.parse(from)) && (to === undefined || latest(delivery) < Date.parse(to)),
    );
    const items = matching.slice(page.offset, page.offset + page.take);
    const nextOffset = page.offset + items.length;
    if (this.options.deliveriesShape === 'array') return { status: 200, body: page.offset === 0 ? matching.slice(0, page.take) : [] };
    return { status: 200, body: { deliveries: items, ...(nextOffset < matching.length ? { next: cursor(nextOffset) } : {}) } };
  }

  private test(id: string, request: RecordedRequest): ForcedAnswer {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body['event_type'] !== 'string') return badRequest('Payload validation error: Missing required property: event_type.', 'invalid_body');
    return {
      status: 202,
      body: { id: `dlv_test${String(this.requests.length).padStart(18, '0')}`, event_stream_id: id, status: 'failed', event_type: body['event_type'], attempts: [] },
    };
  }

  private redeliver(id: string, eventId: string | undefined, request: RecordedRequest): ForcedAnswer {
    if (eventId !== undefined) {
      if (!EVENT_ID.test(eventId)) return badRequest(`Path validation error: 'Object didn't pass validation for format event-id: ${eventId}' on property event_id.`, 'invalid_uri');
      const failed = (this.options.deliveries?.[id] ?? []).some((delivery) => delivery.event?.id === eventId);
      return failed ? { status: 202, body: {} } : { status: 409, body: { statusCode: 409, error: 'Conflict', message: 'The event is not in a state that allows redelivery.' } };
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    for (const name of ['date_from', 'date_to']) {
      const value = body[name];
      if (value !== undefined && (typeof value !== 'string' || !RFC3339_NO_FRACTION.test(value))) {
        return badRequest(`Payload validation error: '${name}' must be an RFC-3339 date-time without sub-second precision.`, 'invalid_body');
      }
    }
    return { status: 202, body };
  }

  private page(request: RecordedRequest): { offset: number; take: number } | ForcedAnswer {
    const take = request.query['take'] === undefined ? 50 : Number(request.query['take']);
    if (!Number.isInteger(take) || take < 1 || take > 100) return badRequest("Query validation error: 'take' must be an integer from 1 to 100.", 'invalid_query_string');
    const from = request.query['from'];
    const offset = from === undefined ? 0 : offsetOf(from);
    if (offset === undefined) return badRequest("Query validation error: 'from' is not a valid cursor.", 'invalid_query_string');
    return { offset, take: Math.min(take, this.options.pageSize ?? 100) };
  }
}

function cursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function offsetOf(value: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(value, 'base64url').toString());
  return match === null ? undefined : Number(match[1]);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ratelimit-limit': '50',
    'x-ratelimit-remaining': status === 429 ? '0' : '49',
    ...headers,
  });
  response.end(payload);
}

function apiError(status: number): unknown {
  if (status === 429) {
    return { statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached', errorCode: 'too_many_requests' };
  }
  return { statusCode: status, error: 'Error', message: `status ${status}` };
}

function badRequest(message: string, errorCode: string): ForcedAnswer {
  return { status: 400, body: { statusCode: 400, error: 'Bad Request', message, errorCode } };
}

function notFound(): ForcedAnswer {
  return { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Not Found' } };
}
