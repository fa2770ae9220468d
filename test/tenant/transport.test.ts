/** The retry and error policy of the transport, with a scripted fetch and a recorded clock: no network, no waiting. */
import { describe, expect, it } from 'vitest';
import { TenantError } from '../../src/tenant/errors.js';
import { createTransport, retryDelay, type RetryPolicy } from '../../src/tenant/transport.js';

type Answer = Response | Error;

function scripted(answers: Answer[]) {
  const calls: { url: string; method: string }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, method: init?.method ?? 'GET' });
    const next = answers.shift();
    if (next === undefined) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function transport(answers: Answer[], retry: RetryPolicy = { maxRetries: 3, maxWaitSeconds: 30 }, now = 1_000_000_000_000) {
  const script = scripted(answers);
  const waits: number[] = [];
  const learned: string[] = [];
  const fetch = createTransport({
    fetch: script.fetch,
    retry,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
    },
    onSecret: (secret) => learned.push(secret),
  });
  return { fetch, waits, learned, calls: script.calls };
}

const API = 'https://acme.eu.auth0.com/api/v2/event-streams';
const rateLimited = (headers: Record<string, string> = {}) => json(429, { statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached' }, headers);

describe('transport: rate limits', () => {
  it('waits as long as Retry-After says, in seconds, then succeeds', async () => {
    const t = transport([rateLimited({ 'retry-after': '2' }), rateLimited({ 'retry-after': '0' }), json(200, { eventStreams: [] })]);
    const response = await t.fetch(API);
    expect(response.status).toBe(200);
    expect(t.waits).toEqual([2000, 0]);
    expect(t.calls).toHaveLength(3);
  });

  it('reads Retry-After as an HTTP date, and X-RateLimit-Reset (epoch seconds) when there is no Retry-After', async () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    const t = transport(
      [rateLimited({ 'retry-after': 'Sun, 01 Mar 2026 10:00:05 GMT' }), rateLimited({ 'x-ratelimit-reset': String(now / 1000 + 7) }), json(200, {})],
      { maxRetries: 3, maxWaitSeconds: 30 },
      now,
    );
    await t.fetch(API);
    expect(t.waits).toEqual([5000, 7000]);
  });

  it('backs off 1 s, 2 s, 4 s without any header', () => {
    expect([0, 1, 2].map((attempt) => retryDelay(new Headers(), attempt, 0))).toEqual([1000, 2000, 4000]);
  });

  it('gives up after maxRetries, and says so', async () => {
    const t = transport([rateLimited({ 'retry-after': '1' }), rateLimited({ 'retry-after': '1' }), rateLimited({ 'retry-after': '1' })], { maxRetries: 2, maxWaitSeconds: 30 });
    const error = await t.fetch(API).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TenantError);
    expect((error as TenantError).kind).toBe('rate-limited');
    expect((error as TenantError).message).toMatch(/429 Too Many Requests to GET \/api\/v2\/event-streams after 2 retries/);
    expect(t.calls).toHaveLength(3);
    expect(t.waits).toEqual([1000, 1000]);
  });

  it('does not wait longer than maxWaitSeconds: it fails at once and says how long Auth0 asked for', async () => {
    const t = transport([rateLimited({ 'retry-after': '120' })], { maxRetries: 3, maxWaitSeconds: 30 });
    const error = (await t.fetch(API).catch((caught: unknown) => caught)) as TenantError;
    expect(error.kind).toBe('rate-limited');
    expect(error.message).toMatch(/asked to wait 120 s, longer than the 30 s/);
    expect(t.waits).toEqual([]);
  });

  it('retries a rate-limited POST (Auth0 did not act on it) but never a POST answered 503', async () => {
    const limited = transport([rateLimited({ 'retry-after': '0' }), json(202, {})]);
    expect((await limited.fetch(`${API}/est_Crm7Hook2Bearer9User4x/redeliver`, { method: 'POST', body: '{}' })).status).toBe(202);
    expect(limited.calls).toHaveLength(2);

    const unavailable = transport([json(503, { statusCode: 503, error: 'Service Unavailable', message: 'try later' })]);
    const error = (await unavailable.fetch(`${API}/est_Crm7Hook2Bearer9User4x/redeliver`, { method: 'POST', body: '{}' }).catch((caught: unknown) => caught)) as TenantError;
    expect(error.kind).toBe('api');
    expect(unavailable.calls).toHaveLength(1);
  });

  it('retries reads and the token request answered 502/503/504', async () => {
    const t = transport([json(503, {}), json(200, { eventStreams: [] })]);
    expect((await t.fetch(API)).status).toBe(200);
    const token = transport([json(502, {}), json(200, { access_token: 'x', expires_in: 60 })]);
    expect((await token.fetch('https://acme.eu.auth0.com/oauth/token', { method: 'POST', body: 'grant_type=client_credentials' })).status).toBe(200);
    expect(token.calls).toHaveLength(2);
  });
});

describe('transport: failures say what happened', () => {
  it('401 from /oauth/token: the credentials', async () => {
    const t = transport([json(401, { error: 'access_denied', error_description: 'Unauthorized' })]);
    const error = (await t.fetch('https://acme.eu.auth0.com/oauth/token', { method: 'POST' }).catch((caught: unknown) => caught)) as TenantError;
    expect(error.kind).toBe('credentials');
    expect(error.message).toMatch(/refused the client credentials \(401 access_denied: Unauthorized\): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET/);
  });

  it('403 from the API: the endpoint and Auth0 own words', async () => {
    const t = transport([json(403, { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope, expected any of: read:event_streams', errorCode: 'insufficient_scope' })]);
    const error = (await t.fetch(API).catch((caught: unknown) => caught)) as TenantError;
    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe('Auth0 at acme.eu.auth0.com refused GET /api/v2/event-streams (403 insufficient_scope: Insufficient scope, expected any of: read:event_streams)');
  });

  it('a certificate that cannot be verified: points at NODE_EXTRA_CA_CERTS', async () => {
    const cause = Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const t = transport([new TypeError('fetch failed', { cause })]);
    const error = (await t.fetch(API).catch((caught: unknown) => caught)) as TenantError;
    expect(error.kind).toBe('certificate');
    expect(error.message).toMatch(/cannot verify the TLS certificate of acme\.eu\.auth0\.com \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\).*NODE_EXTRA_CA_CERTS/);
  });

  it('an unknown host: names the host and the variable to check', async () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND acme.eu.auth0.com'), { code: 'ENOTFOUND' });
    const t = transport([new TypeError('fetch failed', { cause })]);
    const error = (await t.fetch(API).catch((caught: unknown) => caught)) as TenantError;
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/cannot reach Auth0 at acme\.eu\.auth0\.com for GET \/api\/v2\/event-streams \(ENOTFOUND\); check AUTH0_DOMAIN/);
  });

  it('learns the bearer token it sends, for the redactor', async () => {
    const t = transport([json(200, {})]);
    await t.fetch(API, { headers: { Authorization: 'Bearer eyJ.token.value' } });
    expect(t.learned).toEqual(['eyJ.token.value']);
  });
});
