/** Command-line parsing shared by the tenant commands (node:util parseArgs, strict), and the connection flags. */
import { parseArgs } from 'node:util';
import { connectTenant, type TenantClient } from './client.js';
import { readCredentials } from './credentials.js';
import { TenantError } from './errors.js';
import type { Redactor } from './output.js';
import { DEFAULT_RETRY } from './transport.js';

type OptionSpec = { readonly type: 'string' | 'boolean'; readonly multiple?: boolean; readonly short?: string };

/** Flags every tenant command takes. */
const CONNECTION_OPTIONS = {
  domain: { type: 'string' },
  'client-id': { type: 'string' },
  'max-retries': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

export const CONNECTION_HELP = `CREDENTIALS
  AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET   a machine-to-machine application of the tenant,
      authorized for the Auth0 Management API (the variables auth0-deploy-cli reads). The secret is read only
      from the environment and never printed.
  --domain DOMAIN       overrides AUTH0_DOMAIN (tenant.eu.auth0.com, a custom domain, or host:port)
  --client-id ID        overrides AUTH0_CLIENT_ID
  --max-retries N       retries of a rate-limited (429) or unavailable request (default ${DEFAULT_RETRY.maxRetries}); waits as
                        Retry-After says, at most ${DEFAULT_RETRY.maxWaitSeconds} s at a time
  TLS certificates are verified against the system store and NODE_EXTRA_CA_CERTS.`;

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  readonly values: ParsedValues;
  readonly positionals: readonly string[];
}

export function parseCommandArgs(args: readonly string[], options: Record<string, OptionSpec>, maxPositionals: number): ParsedArgs {
  const secretFlag = args.find((arg) => /^--client-secret(?:=|$)/.test(arg));
  if (secretFlag !== undefined) {
    throw new TenantError('usage', `the client secret is read only from AUTH0_CLIENT_SECRET: a command line is visible to every user of the machine.`);
  }
  let parsed: { values: ParsedValues; positionals: string[] };
  try {
    const result = parseArgs({ args: [...args], options: { ...CONNECTION_OPTIONS, ...options }, allowPositionals: true, strict: true });
    parsed = { values: result.values, positionals: result.positionals };
  } catch (error) {
    throw new TenantError('usage', error instanceof Error ? error.message : String(error));
  }
  if (parsed.values['help'] !== true && parsed.positionals.length > maxPositionals) {
    throw new TenantError('usage', `unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`);
  }
  return parsed;
}

export function stringFlag(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function listFlag(values: ParsedValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export function integerFlag(values: ParsedValues, name: string, fallback: number, max: number): number {
  const raw = stringFlag(values, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new TenantError('usage', `--${name} must be a whole number from 0 to ${max}, not ${JSON.stringify(raw)}.`);
  return Number(raw);
}

export interface ConnectContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly redactor: Redactor;
  readonly version: string;
  /** Tests of the client itself pass their own fetch; the commands use the global one. */
  readonly fetch?: typeof fetch;
}

/** What a command gets from its runner besides its arguments. */
export interface CommandContext extends ConnectContext {
  readonly now: () => Date;
  /** The bytes of stdin when it is not a terminal; undefined when it is one. */
  readonly stdin: () => Promise<Uint8Array | undefined>;
}

/** Reads the credentials, registers every secret with the redactor, and opens the client. */
export async function connect(values: ParsedValues, context: ConnectContext): Promise<TenantClient> {
  context.redactor.add(context.env['AUTH0_CLIENT_SECRET']);
  const credentials = readCredentials({ domain: stringFlag(values, 'domain'), clientId: stringFlag(values, 'client-id') }, context.env);
  return connectTenant(credentials, {
    retry: { ...DEFAULT_RETRY, maxRetries: integerFlag(values, 'max-retries', DEFAULT_RETRY.maxRetries, 20) },
    onSecret: (token) => context.redactor.add(token),
    clientInfo: { name: 'auth0-eventstream-fn', version: context.version },
    ...(context.fetch ? { fetch: context.fetch } : {}),
  });
}

/**
 * `30m`, `24h`, `7d` (before `now`) or an RFC 3339 time. Auth0 takes whole seconds, so the result has none.
 */
export function parseTime(raw: string, flag: string, now: Date): Date {
  const relative = /^(\d+)([smhd])$/.exec(raw.trim());
  const absolute = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i.test(raw.trim()) ? Date.parse(raw) : Number.NaN;
  const unit = relative === null ? 0 : { s: 1, m: 60, h: 3600, d: 86400 }[relative[2] as 's' | 'm' | 'h' | 'd'];
  const time = relative !== null ? Math.floor(now.getTime() / 1000) * 1000 - Number(relative[1]) * unit * 1000 : Math.floor(absolute / 1000) * 1000;
  // A duration longer than the calendar Date can count back (about 270,000 years) is no time either.
  if (Number.isNaN(new Date(time).getTime())) {
    throw new TenantError('usage', `${flag} takes a duration such as 30m, 24h or 7d, or a time such as 2026-01-16T08:00:00Z; not ${JSON.stringify(raw)}.`);
  }
  return new Date(time);
}
