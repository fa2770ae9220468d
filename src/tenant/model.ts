/**
 * The Management API's event stream and delivery shapes, read from untrusted JSON into the few fields this
 * tool uses. Shapes follow the Management API v2 (`GET /event-streams`, `GET /event-streams/{id}/deliveries`);
 * secrets are never part of them, because Auth0 never returns them.
 */
import { isRecord } from '../core/index.js';
import { TenantError } from './errors.js';

export const EVENT_ID_PATTERN = /^evt_[A-Za-z0-9]{22}$/;

export type LiveDestination =
  | {
      readonly type: 'webhook';
      readonly endpoint: string;
      readonly method: string;
      readonly username?: string;
      readonly headerKey?: string;
    }
  | {
      readonly type: 'eventbridge';
      readonly awsAccountId: string;
      readonly awsRegion: string;
      /** Absent, or Auth0's placeholder `default`, until the partner event source exists. */
      readonly partnerEventSource?: string;
    }
  | { readonly type: 'action'; readonly actionId: string }
  /** Whatever Auth0 adds later: listed, never turned into a manifest. */
  | { readonly type: 'other'; readonly name: string };

export interface LiveStream {
  readonly id: string;
  readonly name: string;
  /** `enabled` or `disabled` (Auth0 disables a stream by itself after repeated delivery failures). */
  readonly status: string;
  readonly subscriptions: readonly string[];
  readonly destination: LiveDestination;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

export interface FailedDelivery {
  readonly id: string;
  readonly eventType: string;
  readonly eventId?: string;
  readonly attempts: number;
  /** The latest attempt's time (RFC 3339), when Auth0 reports attempts. */
  readonly lastAttemptAt?: string;
  readonly lastError?: string;
}

export function parseStream(value: unknown, where: string): LiveStream {
  if (!isRecord(value)) throw malformed(where, 'an event stream is not an object');
  const id = requiredString(value, 'id', where);
  const name = requiredString(value, 'name', where);
  const status = typeof value['status'] === 'string' ? value['status'] : 'enabled';
  const subscriptions = Array.isArray(value['subscriptions'])
    ? value['subscriptions'].map((entry) => (isRecord(entry) && typeof entry['event_type'] === 'string' ? entry['event_type'] : undefined))
    : [];
  if (subscriptions.some((entry) => entry === undefined)) throw malformed(where, `stream ${id} has a subscription without event_type`);
  return {
    id,
    name,
    status,
    subscriptions: subscriptions as string[],
    destination: parseDestination(value['destination'], id, where),
    ...optional('createdAt', value['created_at']),
    ...optional('updatedAt', value['updated_at']),
  };
}

function parseDestination(value: unknown, id: string, where: string): LiveDestination {
  if (!isRecord(value) || typeof value['type'] !== 'string') throw malformed(where, `stream ${id} has no destination type`);
  const configuration = isRecord(value['configuration']) ? value['configuration'] : {};
  switch (value['type']) {
    case 'webhook': {
      const authorization = isRecord(configuration['webhook_authorization']) ? configuration['webhook_authorization'] : {};
      return {
        type: 'webhook',
        endpoint: requiredString(configuration, 'webhook_endpoint', where),
        method: requiredString(authorization, 'method', where),
        ...optional('username', authorization['username']),
        ...optional('headerKey', authorization['header_key']),
      };
    }
    case 'eventbridge':
      return {
        type: 'eventbridge',
        awsAccountId: requiredString(configuration, 'aws_account_id', where),
        awsRegion: requiredString(configuration, 'aws_region', where),
        ...optional('partnerEventSource', configuration['aws_partner_event_source']),
      };
    case 'action':
      return { type: 'action', actionId: requiredString(configuration, 'action_id', where) };
    default:
      return { type: 'other', name: value['type'] };
  }
}

export function parseDelivery(value: unknown, where: string): FailedDelivery {
  if (!isRecord(value)) throw malformed(where, 'a delivery is not an object');
  const attempts = Array.isArray(value['attempts']) ? value['attempts'].filter(isRecord) : [];
  const latest = attempts
    .filter((attempt) => typeof attempt['timestamp'] === 'string')
    .reduce<Record<string, unknown> | undefined>((best, attempt) => (best === undefined || String(attempt['timestamp']) > String(best['timestamp']) ? attempt : best), undefined);
  const event = isRecord(value['event']) ? value['event'] : {};
  return {
    id: requiredString(value, 'id', where),
    eventType: typeof value['event_type'] === 'string' ? value['event_type'] : 'unknown',
    ...optional('eventId', event['id']),
    attempts: attempts.length,
    ...optional('lastAttemptAt', latest?.['timestamp']),
    ...optional('lastError', latest?.['error_message']),
  };
}

function requiredString(record: Record<string, unknown>, key: string, where: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value === '') throw malformed(where, `${key} is missing`);
  return value;
}

function optional<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' && value !== '' ? { [key]: value } : {}) as { [P in K]?: string };
}

function malformed(where: string, what: string): TenantError {
  return new TenantError('api', `Auth0 answered ${where} with data this tool does not understand (${what}); is AUTH0_DOMAIN an Auth0 tenant?`);
}
