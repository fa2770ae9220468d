/**
 * The DeliveryHealthy condition for each thing a look at Auth0 can find: its status, its reason, and a message
 * that says what happened and what to do.
 */
import { describe, expect, it } from 'vitest';
import {
  checkingCondition,
  credentialsCondition,
  durationText,
  healthCondition,
  notCreatedCondition,
  type HealthReading,
  type HealthSubject,
  type ReadingFailure,
} from '../../src/crossplane/delivery-health-condition.js';

const ID = 'est_Crm7Hook2Bearer9User4x';
const subject: HealthSubject = { streamId: ID, domain: 'acme.eu.auth0.com', credentials: 'auth0-management', intervalSeconds: 300, windowSeconds: 3600, maxFailures: 0 };
const last = { at: '2026-02-03T11:02:07.120Z', eventType: 'user.created', error: 'Request failed with status code 503' };
const stream = (status: string, count: number, truncated = false): HealthReading => ({
  kind: 'stream',
  status,
  failures: { count, truncated, ...(count > 0 ? { last } : {}) },
});
const failed = (failure: ReadingFailure): HealthReading => ({ kind: 'failed', failure });

describe('a stream Auth0 reports', () => {
  const cases: readonly [string, HealthReading, Partial<HealthSubject>, string, string, readonly RegExp[]][] = [
    ['enabled, no failures', stream('enabled', 0), {}, 'True', 'Delivering', [/enabled, with no failed deliveries in the last 1 h/]],
    ['enabled, failures within the threshold', stream('enabled', 2), { maxFailures: 5 }, 'True', 'Delivering', [/2 failed deliveries in the last 1 h \(at most 5 allowed\)/]],
    [
      'enabled, failures over the threshold',
      stream('enabled', 3),
      {},
      'False',
      'Failing',
      [
        /^3 failed deliveries in the last 1 h of event stream est_/,
        /the last at 2026-02-03T11:02:07.120Z \(user\.created\): Request failed with status code 503/,
        /redeliver est_Crm7Hook2Bearer9User4x --since 1h/,
      ],
    ],
    ['one failure', stream('enabled', 1), {}, 'False', 'Failing', [/^1 failed delivery in the last 1 h/]],
    ['a full page of failures', stream('enabled', 100, true), { windowSeconds: 86400 }, 'False', 'Failing', [/^100 or more failed deliveries in the last 1 d/, /--since 1d/]],
    ['over a raised threshold', stream('enabled', 7), { maxFailures: 5 }, 'False', 'Failing', [/more than the 5 allowed/]],
    [
      'disabled, spec.status unset',
      stream('disabled', 0),
      {},
      'False',
      'AutoDisabled',
      [/500 consecutive or 5,000 failed deliveries/, /redeliver est_Crm7Hook2Bearer9User4x --since 1h/, /set spec\.status: enabled/, /No failed deliveries in the last 1 h\.$/],
    ],
    [
      'disabled, spec.status enabled',
      stream('disabled', 4),
      { declaredStatus: 'enabled' },
      'False',
      'AutoDisabled',
      [/the Workspace enables the stream again on its next apply/, /4 failed deliveries in the last 1 h; the last at/],
    ],
    ['disabled as spec.status says', stream('disabled', 0), { declaredStatus: 'disabled' }, 'True', 'Disabled', [/as spec\.status says/]],
    ['disabled as declared, with failures from before', stream('disabled', 2), { declaredStatus: 'disabled' }, 'False', 'Failing', [/^2 failed deliveries/]],
    ['gone', { kind: 'not-found' }, {}, 'False', 'StreamNotFound', [/has no event stream est_Crm7Hook2Bearer9User4x/, /creates it again/]],
  ];
  it.each(cases)('%s', (_, reading, overrides, status, reason, messages) => {
    const condition = healthCondition(reading, { ...subject, ...overrides });
    expect([condition.status, condition.reason]).toStrictEqual([status, reason]);
    for (const message of messages) expect(condition.message).toMatch(message);
  });
});

describe('when Auth0 could not be read', () => {
  const cases: readonly [string, ReadingFailure, string, readonly RegExp[]][] = [
    [
      'the token endpoint refuses the client credentials',
      { kind: 'credentials', status: 401, endpoint: 'POST /oauth/token', detail: '401 access_denied: Unauthorized' },
      'Unauthorized',
      [/refused the client credentials of the step credentials "auth0-management" \(401 access_denied: Unauthorized\)/, /check client_id and client_secret/],
    ],
    [
      'the API rejects the token',
      { kind: 'credentials', status: 401, endpoint: `GET /api/v2/event-streams/${ID}`, detail: '401 Invalid token' },
      'Unauthorized',
      [/rejected the access token/, /check that domain/],
    ],
    [
      'the application is not authorized for the Management API',
      { kind: 'forbidden', status: 403, endpoint: 'POST /oauth/token', detail: '403 access_denied: Client is not authorized' },
      'Forbidden',
      [/will not issue a Management API token/, /read:event_streams and read:event_deliveries/],
    ],
    [
      'the stream read is refused',
      { kind: 'forbidden', status: 403, endpoint: `GET /api/v2/event-streams/${ID}`, detail: '403 insufficient_scope' },
      'Forbidden',
      [/lacks the scope read:event_streams\./, /Grant it read:event_streams and read:event_deliveries/],
    ],
    [
      'the deliveries query is refused',
      {
        kind: 'forbidden',
        status: 403,
        endpoint: `GET /api/v2/event-streams/${ID}/deliveries`,
        detail: '403 insufficient_scope: Insufficient scope, expected any of: read:event_deliveries',
      },
      'Forbidden',
      [/lacks the scope read:event_deliveries\./],
    ],
    [
      'nothing listens',
      { kind: 'unreachable', endpoint: 'POST /oauth/token', detail: 'ECONNREFUSED' },
      'Auth0Unreachable',
      [/Cannot reach Auth0 at acme\.eu\.auth0\.com \(ECONNREFUSED\)/, /Composition goes on; Auth0 is asked again in 5 min\./],
    ],
    [
      'no answer in time',
      { kind: 'timeout', endpoint: `GET /api/v2/event-streams/${ID}`, detail: 'no answer in time' },
      'Auth0Unreachable',
      [/did not answer GET \/api\/v2\/event-streams\/est_\S+ in time/],
    ],
    ['an unknown certificate', { kind: 'certificate', endpoint: 'POST /oauth/token', detail: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'Auth0Unreachable', [/NODE_EXTRA_CA_CERTS/]],
    ['rate limits', { kind: 'rate-limited', status: 429, endpoint: `GET /api/v2/event-streams/${ID}`, detail: '429 too_many_requests' }, 'RateLimited', [/rate-limited/]],
    [
      'anything else',
      { kind: 'api', status: 500, endpoint: `GET /api/v2/event-streams/${ID}`, detail: '500 Internal Server Error' },
      'Auth0Error',
      [/answered GET \S+ \(500 Internal Server Error\)/],
    ],
  ];
  it.each(cases)('%s', (_, failure, reason, messages) => {
    const condition = healthCondition(failed(failure), subject);
    expect([condition.status, condition.reason]).toStrictEqual(['Unknown', reason]);
    for (const message of messages) expect(condition.message).toMatch(message);
  });
});

describe('before anything is asked', () => {
  it('no stream id yet', () => {
    expect(notCreatedCondition()).toMatchObject({ status: 'Unknown', reason: 'StreamNotCreated' });
  });

  it('a first reading still on its way', () => {
    const condition = checkingCondition('acme.eu.auth0.com', 3);
    expect(condition).toMatchObject({ status: 'Unknown', reason: 'Checking' });
    expect(condition.message).toMatch(/no answer within 3 s/);
  });

  it('credentials the step does not have, without a key, or with a domain that is not a host', () => {
    expect(credentialsCondition('auth0', { kind: 'missing' })).toMatchObject({ status: 'Unknown', reason: 'CredentialsMissing' });
    expect(credentialsCondition('auth0', { kind: 'missing' }).message).toMatch(/credentials: \[\{name: auth0, source: Secret/);
    const keys = credentialsCondition('auth0', { kind: 'keys', missing: ['client_id', 'client_secret'] });
    expect(keys).toMatchObject({ status: 'Unknown', reason: 'CredentialsInvalid' });
    expect(keys.message).toMatch(/have no client_id, client_secret/);
    expect(credentialsCondition('auth0', { kind: 'domain' }).message).toMatch(/is not a host name/);
  });
});

it('durations are said in the largest whole unit', () => {
  expect([30, 90, 300, 3600, 5400, 86400, 604800].map(durationText)).toStrictEqual(['30 s', '90 s', '5 min', '1 h', '90 min', '1 d', '7 d']);
});
