/**
 * The fetch the SDK uses: one place that retries, waits out rate limits, and turns every failed exchange into
 * a TenantError that says what happened. The SDK's own retries are turned off (it would also resend POSTs
 * after a 5xx, and it does not retry the token request).
 *
 * - 429 (any request; Auth0 did not act on it): wait as long as `Retry-After` (seconds or an HTTP date) or
 *   `X-RateLimit-Reset` (epoch seconds) says, else 1 s, 2 s, 4 s…; at most `maxRetries` times, and never longer
 *   than `maxWaitSeconds` at once: asked to wait longer, it fails at once and says how long Auth0 asked for.
 * - 502/503/504 and connection resets: retried the same way, but only for reads and the token request, which
 *   are safe to send twice.
 * - Certificates are trusted the Node.js way (system store plus `NODE_EXTRA_CA_CERTS`).
 */
import { TenantError, type TenantErrorKind } from './errors.js';

export interface RetryPolicy {
  readonly maxRetries: number;
  readonly maxWaitSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, maxWaitSeconds: 30 };
const DEFAULT_ATTEMPT_TIMEOUT_SECONDS = 30;

export interface TransportOptions {
  /** The fetch to wrap: the global one unless a caller (a test, a server with its own agent) gives another. */
  readonly fetch?: typeof fetch;
  readonly retry?: RetryPolicy;
  /** How long one attempt may take; waits between attempts do not count. */
  readonly attemptTimeoutSeconds?: number;
  /** Waits; injectable so the policy can be tested without a clock. */
  readonly sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  /** Told every bearer token the SDK sends, so output can be scrubbed of it. */
  readonly onSecret?: (value: string) => void;
}

const RETRYABLE_SERVER_STATUS = new Set([502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const CERTIFICATE_CODES = /^(?:UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_SELF_SIGNED|CERT_|ERR_TLS_CERT|HOSTNAME_MISMATCH)/;
const ERROR_BODY_LIMIT = 4096;

export function createTransport(options: TransportOptions = {}): typeof fetch {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const policy = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? sleepFor;
  const now = options.now ?? Date.now;
  const attemptTimeout = (options.attemptTimeoutSeconds ?? DEFAULT_ATTEMPT_TIMEOUT_SECONDS) * 1000;

  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const endpoint = `${method} ${url.pathname}`;
    const safeToRepeat = method === 'GET' || url.pathname === '/oauth/token';
    learnBearerToken(init?.headers, options.onSecret);
    const callerSignal = init?.signal ?? undefined;
    const waitOrGiveUp = async (milliseconds: number, why: string): Promise<void> => {
      try {
        await sleep(milliseconds, callerSignal);
      } catch {
        throw new TenantError('timeout', `Auth0 at ${url.host}: ${endpoint} ran out of time while waiting to retry (${why}); try again later.`, undefined, {
          endpoint,
          detail: `ran out of time while waiting to retry (${why})`,
        });
      }
    };
    for (let attempt = 0; ; attempt++) {
      const deadline = AbortSignal.timeout(attemptTimeout);
      const signal = callerSignal === undefined ? deadline : AbortSignal.any([callerSignal, deadline]);
      let response: Response;
      try {
        response = await baseFetch(input, { ...init, signal });
      } catch (error) {
        const failure = networkFailure(error, url.host, endpoint, signal.aborted);
        if (failure.retryable && safeToRepeat && attempt < policy.maxRetries) {
          await waitOrGiveUp(backoff(attempt), failure.error.message);
          continue;
        }
        throw failure.error;
      }
      if (response.ok) return response;
      const retryable = response.status === 429 || (safeToRepeat && RETRYABLE_SERVER_STATUS.has(response.status));
      if (!retryable) throw await httpError(response, url.host, endpoint);
      const wait = retryDelay(response.headers, attempt, now());
      if (attempt >= policy.maxRetries || wait > policy.maxWaitSeconds * 1000) {
        throw await httpError(response, url.host, endpoint, { retries: attempt, wait, policy });
      }
      await response.body?.cancel();
      await waitOrGiveUp(wait, `answer ${response.status}`);
    }
  };
}

/** Milliseconds to wait before retry number `attempt` (0-based). */
export function retryDelay(headers: Headers, attempt: number, now: number): number {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter !== undefined && retryAfter !== '') {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset !== undefined && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return backoff(attempt);
}

function backoff(attempt: number): number {
  return 1000 * 2 ** attempt;
}

interface RetryContext {
  readonly retries: number;
  readonly wait: number;
  readonly policy: RetryPolicy;
}

/** Auth0's error bodies: `{statusCode, error, message, errorCode}` from the API, `{error, error_description}` from /oauth/token. */
async function httpError(response: Response, host: string, endpoint: string, retry?: RetryContext): Promise<TenantError> {
  const detail = await errorDetail(response);
  const status = response.status;
  const said = detail === '' ? `${status}` : `${status} ${detail}`;
  const isToken = endpoint.endsWith(' /oauth/token');
  let kind: TenantErrorKind;
  let message: string;
  if (status === 429 && retry !== undefined) {
    kind = 'rate-limited';
    message =
      retry.wait > retry.policy.maxWaitSeconds * 1000
        ? `Auth0 at ${host} rate-limited ${endpoint} and asked to wait ${Math.ceil(retry.wait / 1000)} s, longer than the ${retry.policy.maxWaitSeconds} s this command waits; try again later.`
        : `Auth0 at ${host} still answered 429 Too Many Requests to ${endpoint} after ${retry.retries} retries; try again later, or raise --max-retries.`;
  } else if (isToken && (status === 401 || status === 400)) {
    kind = 'credentials';
    message = `Auth0 at ${host} refused the client credentials (${said}): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, and that the application is a machine-to-machine application of this tenant.`;
  } else if (isToken && status === 403) {
    kind = 'forbidden';
    message = `Auth0 at ${host} will not issue a Management API token to this application (${said}): authorize it for the Auth0 Management API (Applications > APIs > Auth0 Management API > Machine to Machine Applications).`;
  } else if (status === 401) {
    kind = 'credentials';
    message = `Auth0 at ${host} rejected the access token for ${endpoint} (${said}); check that AUTH0_DOMAIN is the tenant the application belongs to.`;
  } else if (status === 403) {
    kind = 'forbidden';
    message = `Auth0 at ${host} refused ${endpoint} (${said})`;
  } else if (status === 404) {
    kind = 'not-found';
    message = `Auth0 at ${host} found nothing at ${endpoint} (${said})`;
  } else if (status === 409) {
    kind = 'conflict';
    message = `Auth0 at ${host} refused ${endpoint} (${said})`;
  } else {
    kind = 'api';
    message = `Auth0 at ${host} answered ${endpoint} with ${said}${retry !== undefined ? ` after ${retry.retries} retries` : ''}`;
  }
  return new TenantError(kind, message, status, { endpoint, detail: said });
}

async function errorDetail(response: Response): Promise<string> {
  let text: string;
  try {
    text = (await response.text()).slice(0, ERROR_BODY_LIMIT);
  } catch {
    return response.statusText;
  }
  try {
    const body: unknown = JSON.parse(text);
    if (body !== null && typeof body === 'object') {
      const { error, message, errorCode, error_description: description } = body as Record<string, unknown>;
      const code = typeof errorCode === 'string' ? errorCode : typeof error === 'string' ? error : undefined;
      const said = typeof message === 'string' ? message : typeof description === 'string' ? description : undefined;
      return [code, said].filter((part) => part !== undefined && part !== '').join(': ');
    }
  } catch {
    // not JSON: a proxy's page, say; its status line is all that is worth repeating
  }
  return response.statusText;
}

function networkFailure(error: unknown, host: string, endpoint: string, aborted: boolean): { error: TenantError; retryable: boolean } {
  if (aborted) {
    return {
      error: new TenantError('timeout', `Auth0 at ${host} did not answer ${endpoint} in time; check the network, or try again.`, undefined, {
        endpoint,
        detail: 'no answer in time',
      }),
      retryable: false,
    };
  }
  const code = errorCode(error);
  if (code !== undefined && CERTIFICATE_CODES.test(code)) {
    return {
      error: new TenantError(
        'certificate',
        `cannot verify the TLS certificate of ${host} (${code}): if a proxy or a private CA signs it, put that CA's PEM file in NODE_EXTRA_CA_CERTS.`,
        undefined,
        { endpoint, detail: code },
      ),
      retryable: false,
    };
  }
  const what = code ?? innermostMessage(error);
  return {
    error: new TenantError('unreachable', `cannot reach Auth0 at ${host} for ${endpoint} (${what}); check AUTH0_DOMAIN (or --domain) and the network.`, undefined, {
      endpoint,
      detail: what,
    }),
    retryable: code !== undefined && RETRYABLE_NETWORK_CODES.has(code),
  };
}

/** Node's fetch hides the socket error in `cause` (sometimes two levels deep). */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = current.cause;
  }
  return undefined;
}

/** `fetch failed` says nothing; the deepest cause (`bad port`, `getaddrinfo …`) does. */
function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}

function learnBearerToken(headers: RequestInit['headers'], onSecret: ((value: string) => void) | undefined): void {
  if (headers === undefined || onSecret === undefined) return;
  const value = new Headers(headers).get('authorization');
  const token = value === null ? undefined : /^Bearer\s+(.+)$/i.exec(value)?.[1];
  if (token !== undefined) onSecret(token);
}

function sleepFor(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
