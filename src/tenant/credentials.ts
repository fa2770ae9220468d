/**
 * Client credentials for the Management API, named as auth0-deploy-cli and auth0-cli name them. The domain and
 * client id may come from flags (they are not secret); the client secret only from the environment, because a
 * command line is visible to every user of the machine (`ps`). Nothing here prints the secret.
 */
import { TenantError } from './errors.js';

export interface TenantCredentials {
  /** `tenant.eu.auth0.com`, a custom domain, or `host:port`; no scheme, no path. */
  readonly domain: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

const CREDENTIAL_ENV = {
  domain: 'AUTH0_DOMAIN',
  clientId: 'AUTH0_CLIENT_ID',
  clientSecret: 'AUTH0_CLIENT_SECRET',
} as const;

export interface CredentialFlags {
  readonly domain?: string | undefined;
  readonly clientId?: string | undefined;
}

/** Flags win over the environment for the domain and the client id. */
export function readCredentials(flags: CredentialFlags, env: Readonly<Record<string, string | undefined>>): TenantCredentials {
  const domain = nonEmpty(flags.domain) ?? nonEmpty(env[CREDENTIAL_ENV.domain]);
  const clientId = nonEmpty(flags.clientId) ?? nonEmpty(env[CREDENTIAL_ENV.clientId]);
  const clientSecret = env[CREDENTIAL_ENV.clientSecret];
  const missing = [
    domain === undefined ? `${CREDENTIAL_ENV.domain} (or --domain)` : undefined,
    clientId === undefined ? `${CREDENTIAL_ENV.clientId} (or --client-id)` : undefined,
    clientSecret === undefined || clientSecret === '' ? CREDENTIAL_ENV.clientSecret : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0 || domain === undefined || clientId === undefined || clientSecret === undefined) {
    throw new TenantError(
      'usage',
      `missing Auth0 client credentials: set ${missing.join(', ')}. They are the domain, client id and client secret of a ` +
        'machine-to-machine application authorized for the Auth0 Management API (the same variables auth0-deploy-cli reads).',
    );
  }
  if (/\s/.test(clientId)) throw new TenantError('usage', `the Auth0 client id ${JSON.stringify(clientId)} contains white space; copy it again from the application's settings.`);
  return { domain: normalizeDomain(domain), clientId, clientSecret };
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/**
 * `tenant.auth0.com`, `https://tenant.auth0.com/` and `127.0.0.1:8443` are accepted (the scheme and a trailing
 * slash are dropped, as people copy the domain from the dashboard with them); anything with a path, a user or a
 * query is refused, since the SDK builds `https://<domain>/oauth/token` from it.
 */
export function normalizeDomain(raw: string): string {
  const trimmed = raw
    .trim()
    .replace(/^https:\/\//i, '')
    .replace(/\/$/, '');
  const match = HOST.exec(trimmed);
  const port = match?.[1] === undefined ? undefined : Number(match[1]);
  if (match === null || (port !== undefined && (port < 1 || port > 65535))) {
    throw new TenantError(
      'usage',
      `the Auth0 domain ${JSON.stringify(raw)} is not a host name: write it as tenant.eu.auth0.com (a custom domain, or host:port, also works), without a path.`,
    );
  }
  return trimmed.toLowerCase();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
