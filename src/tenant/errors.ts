/**
 * What can go wrong when talking to a tenant, as one error type whose message is meant for the user as is:
 * what failed, where (tenant, endpoint) and how to fix it. Never a secret: messages are built from status
 * codes, paths, ids and Auth0's own error text, and every printed line still goes through the redactor.
 */
export type TenantErrorKind =
  /** Bad flags or environment: exit 2. */
  | 'usage'
  /** Files or stdin that cannot be read as manifests. */
  | 'input'
  /** The token endpoint refused the client credentials. */
  | 'credentials'
  /** The access token lacks a scope, or the application is not authorized for the Management API. */
  | 'forbidden'
  | 'not-found'
  /** 409: e.g. events not in a state that allows redelivery. */
  | 'conflict'
  /** Still 429 after the allowed retries, or Auth0 asked to wait longer than allowed. */
  | 'rate-limited'
  /** The TLS certificate could not be verified. */
  | 'certificate'
  /** DNS, connection refused or reset. */
  | 'unreachable'
  | 'timeout'
  /** Any other status, or a body that is not what the Management API documents. */
  | 'api';

/** The exchange an error is about, for callers that word their own message (the Crossplane condition). */
export interface TenantErrorContext {
  /** `GET /api/v2/event-streams/est_…`, `POST /oauth/token`. */
  readonly endpoint?: string;
  /** What Auth0 or the network said, without advice: `403 insufficient_scope: …`, `ECONNREFUSED`. */
  readonly detail?: string;
}

export class TenantError extends Error {
  override readonly name = 'TenantError';
  readonly endpoint?: string;
  readonly detail?: string;

  constructor(
    readonly kind: TenantErrorKind,
    message: string,
    /** The HTTP status, when the error is an answer from Auth0. */
    readonly status?: number,
    context: TenantErrorContext = {},
  ) {
    super(message);
    if (context.endpoint !== undefined) this.endpoint = context.endpoint;
    if (context.detail !== undefined) this.detail = context.detail;
  }
}

/** The TenantError in `error` or its cause chain (the SDK wraps what its fetch throws). */
export function findTenantError(error: unknown): TenantError | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof TenantError) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
