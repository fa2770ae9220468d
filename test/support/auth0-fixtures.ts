/**
 * Event streams and failed deliveries of a made-up tenant, in the Management API's shapes: one of each
 * destination and authorization method, a disabled stream, an EventBridge stream before and after Auth0 created
 * its partner event source, an action stream, a stream of a destination type this function does not know (which no
 * Auth0EventStream can describe), and a name no file system or Kubernetes name likes.
 */
import type { ApiDelivery, ApiStream, FakeClient } from './fake-auth0.js';

/** Values that must never show up in any output. */
export const CLIENT_SECRET = 'cs-Zq8"Lw3\\x$9Vf0{Kd7}Rp2%Yh5&Tn1';
export const READER: FakeClient = { id: 'ReaderClientId0123456789abcdef', secret: CLIENT_SECRET, scopes: ['read:event_streams', 'read:event_deliveries'] };
export const OPERATOR: FakeClient = {
  id: 'OperatorClientId0123456789abcd',
  secret: CLIENT_SECRET,
  scopes: ['read:event_streams', 'read:event_deliveries', 'update:event_streams', 'update:event_deliveries'],
};
export const STREAMS_ONLY: FakeClient = { id: 'StreamsOnlyClientId0123456789a', secret: CLIENT_SECRET, scopes: ['read:event_streams'] };
export const UNGRANTED: FakeClient = { id: 'UngrantedClientId0123456789abc', secret: CLIENT_SECRET, scopes: [], authorized: false };

const CREATED = '2026-01-16T08:50:33.955Z';
const UPDATED = '2026-02-03T11:02:07.120Z';

function stream(id: string, name: string, status: string, types: readonly string[], destination: ApiStream['destination']): ApiStream {
  return { id, name, status, subscriptions: types.map((event_type) => ({ event_type })), destination, created_at: CREATED, updated_at: UPDATED };
}

export const IDS = {
  crm: 'est_Crm7Hook2Bearer9User4x',
  billing: 'est_Bill1Basic8Auth3Dis5yQ',
  audit: 'est_Audt4Custom6Header2kWe',
  bus: 'est_EvBr9Partner3Known7qRt',
  newBus: 'est_EvBr2Pending5Source8Ab',
  action: 'est_Actn6Enrich1Profile3Cd',
  hostile: 'est_Hst1le9Name4Stream2zEf',
  future: 'est_Futr3Kafka7Bridge1Dest',
} as const;

export const STREAMS: readonly ApiStream[] = [
  stream(IDS.crm, 'crm-user-sync', 'enabled', ['user.created', 'user.updated', 'user.deleted'], {
    type: 'webhook',
    configuration: { webhook_endpoint: 'https://crm.example.com/hooks/auth0', webhook_authorization: { method: 'bearer' } },
  }),
  stream(IDS.billing, 'billing-hook', 'disabled', ['organization.created', 'organization.member.added'], {
    type: 'webhook',
    configuration: { webhook_endpoint: 'https://billing.example.com/auth0/events', webhook_authorization: { method: 'basic', username: 'auth0-events' } },
  }),
  stream(IDS.audit, 'audit-trail', 'enabled', ['group.created', 'group.member.added'], {
    type: 'webhook',
    configuration: { webhook_endpoint: 'https://audit.example.com/in', webhook_authorization: { method: 'custom_header', header_key: 'x-auth0-webhook-secret' } },
  }),
  stream(IDS.bus, 'identity-bus', 'enabled', ['user.created', 'user.updated'], {
    type: 'eventbridge',
    configuration: {
      aws_account_id: '242849305777',
      aws_region: 'eu-west-1',
      aws_partner_event_source: 'aws.partner/auth0.com/acme-prod-fbedbd06-5747-42cc-afde-016050660582/auth0.events',
    },
  }),
  stream(IDS.newBus, 'fresh-bus', 'enabled', ['connection.created'], {
    type: 'eventbridge',
    configuration: { aws_account_id: '012345678901', aws_region: 'us-east-1', aws_partner_event_source: 'default' },
  }),
  stream(IDS.action, 'enrich-profile', 'enabled', ['user.created'], {
    type: 'action',
    configuration: { action_id: '6018e89f-245f-4da3-ac9f-e22fc6d8b0d1' },
  }),
  stream(IDS.hostile, 'CRM Sync (prod) ../../etc/passwd: ünï', 'enabled', ['user.updated'], {
    type: 'webhook',
    configuration: { webhook_endpoint: 'https://sync.example.com/a?tenant=acme', webhook_authorization: { method: 'bearer' } },
  }),
  stream(IDS.future, 'kafka-bridge', 'enabled', ['user.created'], { type: 'kafka', configuration: { topic: 'auth0-events' } }),
];

/** A failed delivery of `stream` whose attempts ended `minutesAgo` before `now`. */
export function failedDelivery(streamId: string, index: number, minutesAgo: number, now: number, error = 'Request failed with status code 503'): ApiDelivery {
  const at = new Date(now - minutesAgo * 60_000).toISOString();
  const eventId = `evt_${String(index).padStart(4, '0')}Failed${streamId.slice(4, 16)}`.slice(0, 26);
  return {
    id: `${eventId.replace('evt_', 'dlv_')}`,
    event_stream_id: streamId,
    status: 'failed',
    event_type: 'user.created',
    attempts: [1, 2, 3, 4].map((attempt) => ({
      status: 'failed' as const,
      timestamp: new Date(Date.parse(at) - (4 - attempt) * 1000).toISOString(),
      error_message: error,
    })),
    event: { id: eventId, type: 'user.created', time: at, source: 'urn:auth0:acme.eu.auth0.com', specversion: '1.0', data: '{"object":{"user_id":"auth0|1"}}' },
  };
}
