/**
 * `test` and `redeliver` against the fake Management API: exactly the one request each asks for, with the
 * documented body, and what Auth0's refusals turn into. `--help` of every tenant command.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failedDelivery, IDS, OPERATOR, READER, STREAMS } from '../support/auth0-fixtures.js';
import { FakeAuth0 } from '../support/fake-auth0.js';
import { runCli } from '../support/tenant-cli.js';
import { requireBuiltCli } from '../support/tools.js';
import { expectNoSecrets } from './leaks.js';

let fake: FakeAuth0;
const failed = failedDelivery(IDS.crm, 1, 30, Date.now());

beforeAll(async () => {
  requireBuiltCli();
  fake = await FakeAuth0.start({ clients: [READER, OPERATOR], streams: STREAMS, deliveries: { [IDS.crm]: [failed] } });
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

const mutations = (): { call: string; body: unknown }[] =>
  fake.requests
    .filter((request) => request.method !== 'GET' && request.path !== '/oauth/token')
    .map((request) => ({ call: `${request.method} ${request.path}`, body: request.body }));

describe('test', () => {
  it('sends one test event of the given type', async () => {
    const run = await runCli(['test', IDS.crm, '--event-type', 'user.updated'], fake, { client: OPERATOR });
    expect(run.code, run.stderr).toBe(0);
    expect(fake.apiCalls()).toEqual([`POST /event-streams/${IDS.crm}/test`]);
    expect(mutations()).toEqual([{ call: `POST /api/v2/event-streams/${IDS.crm}/test`, body: { event_type: 'user.updated' } }]);
    expect(run.stdout).toMatch(new RegExp(`^${fake.domain.replace(/\./g, '\\.')}: Auth0 accepted a test user\\.updated event for ${IDS.crm} \\(delivery dlv_test\\d+\\)\\.\\n$`));
    expectNoSecrets(run, fake);
  });

  it('without --event-type, reads the stream and uses its first subscription', async () => {
    const run = await runCli(['test', IDS.crm], fake, { client: OPERATOR });
    expect(run.code, run.stderr).toBe(0);
    expect(fake.apiCalls()).toEqual([`GET /event-streams/${IDS.crm}`, `POST /event-streams/${IDS.crm}/test`]);
    expect(mutations()[0]!.body).toEqual({ event_type: 'user.created' });
  });

  it('without update:event_streams: 403, and the scope to grant', async () => {
    const run = await runCli(['test', IDS.crm, '--event-type', 'user.created'], fake, { client: READER });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(403 insufficient_scope: Insufficient scope, expected any of: update:event_streams): grant the application the scope update:event_streams');
  });

  it('an unknown stream: 404, said plainly', async () => {
    const run = await runCli(['test', 'est_Unknown000000000000000', '--event-type', 'user.created'], fake, { client: OPERATOR });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('found nothing at POST /api/v2/event-streams/est_Unknown000000000000000/test (404 inexistent_event_stream: The event stream does not exist.)');
  });

  it('refuses an unknown event type and a malformed id before any request', async () => {
    expect((await runCli(['test', IDS.crm, '--event-type', 'user.blocked'], fake, { client: OPERATOR })).stderr).toContain('"user.blocked" is not an Auth0 event type');
    expect((await runCli(['test', 'crm-user-sync'], fake, { client: OPERATOR })).code).toBe(2);
    expect(fake.requests).toEqual([]);
  });
});

describe('redeliver', () => {
  it('a window: one POST /redeliver with RFC 3339 times in whole seconds, failed events only, the types asked for', async () => {
    const run = await runCli(
      ['redeliver', IDS.crm, '--since', '2026-03-01T10:00:00.250Z', '--until', '2026-03-02T10:00:00Z', '--event-type', 'user.created', '--event-type', 'user.deleted'],
      fake,
      {
        client: OPERATOR,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(mutations()).toEqual([
      {
        call: `POST /api/v2/event-streams/${IDS.crm}/redeliver`,
        body: { date_from: '2026-03-01T10:00:00Z', date_to: '2026-03-02T10:00:00Z', statuses: ['failed'], event_types: ['user.created', 'user.deleted'] },
      },
    ]);
    expect(fake.apiCalls()).toHaveLength(1);
    expect(run.stdout).toContain(
      `Auth0 accepted the redelivery of the failed events of type user.created, user.deleted of ${IDS.crm} from 2026-03-01T10:00:00Z to 2026-03-02T10:00:00Z.`,
    );
  });

  it('a relative window ends now (no date_to)', async () => {
    const run = await runCli(['redeliver', IDS.crm, '--since', '6h'], fake, { client: OPERATOR });
    expect(run.code, run.stderr).toBe(0);
    const body = mutations()[0]!.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['date_from', 'statuses']);
    expect(Math.abs(Date.parse(String(body['date_from'])) - (Date.now() - 6 * 3_600_000))).toBeLessThan(3_600_000);
  });

  it('one event: POST /redeliver/{event_id}; an event not in a state to redeliver answers 409, said plainly', async () => {
    const run = await runCli(['redeliver', IDS.crm, '--event', failed.event!.id], fake, { client: OPERATOR });
    expect(run.code, run.stderr).toBe(0);
    expect(mutations()).toEqual([{ call: `POST /api/v2/event-streams/${IDS.crm}/redeliver/${failed.event!.id}`, body: undefined }]);

    const conflict = await runCli(['redeliver', IDS.crm, '--event', 'evt_NotFailed000000000000x'], fake, { client: OPERATOR });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('(409 Conflict: The event is not in a state that allows redelivery.)');
  });

  it('without update:event_deliveries: 403 and the scope', async () => {
    const run = await runCli(['redeliver', IDS.crm, '--since', '1h'], fake, { client: READER });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('grant the application the scope update:event_deliveries');
  });

  it('asks which events: a window or one event, never both, never neither', async () => {
    for (const args of [
      ['redeliver', IDS.crm],
      ['redeliver', IDS.crm, '--event', failed.event!.id, '--since', '1h'],
      ['redeliver', IDS.crm, '--since', '1h', '--until', '2h'],
      ['redeliver', IDS.crm, '--event', 'evt_short'],
    ]) {
      const run = await runCli(args, fake, { client: OPERATOR });
      expect(run.code, args.join(' ')).toBe(2);
    }
    expect(fake.requests).toEqual([]);
  });
});

describe('--help', () => {
  it.each([
    ['import', /^auth0-eventstream-fn import \[--dir DIR \[--force\]\][\s\S]*SCOPES {2}read:event_streams\n[\s\S]*EXIT STATUS/],
    ['status', /^auth0-eventstream-fn status [\s\S]*SCOPES {2}read:event_streams, read:event_deliveries\n[\s\S]*EXIT STATUS[\s\S]* 5 {2}drifted/],
    ['test', /^auth0-eventstream-fn test est_\.\.\. [\s\S]*SCOPES {2}update:event_streams/],
    ['redeliver', /^auth0-eventstream-fn redeliver est_\.\.\. [\s\S]*SCOPES {2}update:event_deliveries/],
  ])('%s --help: usage, credentials, scopes and exit codes, without credentials or requests', async (command, shape) => {
    const run = await runCli([command, '--help'], fake, { env: { AUTH0_DOMAIN: undefined } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(shape);
    expect(run.stdout).toContain('AUTH0_CLIENT_SECRET');
    expect(fake.requests).toEqual([]);
  });

  it('the top-level help lists the tenant commands', async () => {
    const run = await runCli(['--help'], fake);
    expect(run.stdout).toMatch(/auth0-eventstream-fn import \|/);
  });
});
