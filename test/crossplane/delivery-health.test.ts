/**
 * The DeliveryHealthy condition end to end: the real server (`serve --debug`, a child process that trusts the
 * fake Auth0's CA through NODE_EXTRA_CA_CERTS) reads the fake Management API with the step credentials. Healthy,
 * auto-disabled, failing, gone; no stream id yet; missing, wrong and under-scoped credentials; a closed port
 * and a server that never answers; one reading per interval, and cached responses that end with their
 * reading (the child's clock is moved forward, see shifted-clock.ts); without the opt-in, nothing changes.
 * Only GETs reach the Management API, and neither the client secret nor a token reaches a response or a log.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { RunFunctionRequest, RunFunctionResponse, Status } from '@crossplane-org/function-sdk-typescript';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runFunction } from '../../src/crossplane/compose.js';
import { expandStream, readConfig } from '../../src/core/index.js';
import { CLIENT_SECRET, failedDelivery, READER, STREAMS, STREAMS_ONLY, UNGRANTED } from '../support/auth0-fixtures.js';
import { FakeAuth0, type ApiDelivery, type ApiStream, type RecordedRequest } from '../support/fake-auth0.js';
import { call, functionClient, startServerCommand, type FunctionClient, type RequestInit, type ServerProcess } from '../support/grpc.js';
import { shiftedClock } from '../support/shifted-clock.js';
import { cliPath, requireBuiltCli } from '../support/tools.js';
import { observed, readyCondition, webhookXr } from '../support/xr.js';

/** An event stream id for a test's own stream: est_ and 22 letters and digits. */
const streamId = (label: string): string => `est_${`${label}0000000000000000000000`.slice(0, 22)}`;
const IDS = {
  healthy: streamId('Healthy'),
  disabled: streamId('AutoDisabled'),
  failing: streamId('Failing'),
  gone: streamId('Gone'),
  scopes: streamId('Scopes'),
  unreachable: streamId('Unreachable'),
  ttl: streamId('Interval'),
  cached: streamId('CachedTag'),
};
const crm = STREAMS[0]!;
const tenantStream = (id: string, status = 'enabled'): ApiStream => ({ ...crm, id, status });
const TENANT: readonly ApiStream[] = Object.values(IDS)
  .filter((id) => id !== IDS.gone)
  .map((id) => tenantStream(id, id === IDS.disabled ? 'disabled' : 'enabled'));
const HOOK_QUERY_SECRET = 'q-s3cr3t-from-the-hook-url';

const clock = shiftedClock();
let fake: FakeAuth0;
let server: ServerProcess;
let client: FunctionClient;
let now: () => number;
const seenRequests: RecordedRequest[] = [];
const responses: RunFunctionResponse[] = [];

beforeAll(async () => {
  requireBuiltCli();
  fake = await FakeAuth0.start({ clients: [READER, STREAMS_ONLY, UNGRANTED], streams: TENANT });
  server = await startServerCommand(process.execPath, ['--require', clock.preload, cliPath, 'serve', '--address', '127.0.0.1:0', '--insecure', '--debug'], {
    ...process.env,
    NODE_EXTRA_CA_CERTS: fake.caFile,
  });
  client = functionClient(server.port);
  now = () => Date.now() + clock.offsetMs;
});
beforeEach(() => {
  fake.reset();
  fake.setTenant(TENANT, deliveries());
});
afterEach(() => {
  seenRequests.push(...fake.requests);
});
afterAll(async () => {
  client.close();
  expect(await server.stop()).toBe(0);
  await fake.close();
  clock.dispose();
});

/** Failed deliveries of the failing stream: three in the last hour (the newest naming a URL with a secret query), one older. */
function deliveries(): Record<string, readonly ApiDelivery[]> {
  const at = now();
  return {
    [IDS.failing]: [
      failedDelivery(IDS.failing, 1, 50, at),
      failedDelivery(IDS.failing, 2, 30, at),
      failedDelivery(IDS.failing, 3, 5, at, `POST https://hooks.example.com/in?token=${HOOK_QUERY_SECRET} answered 503`),
      failedDelivery(IDS.failing, 4, 180, at),
    ],
  };
}

interface Step {
  readonly streamId?: string;
  /** Step credentials: name → Secret keys (domain, client_id, client_secret). */
  readonly credentials?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly health?: Record<string, unknown> | undefined;
  readonly specStatus?: string;
  /** Makes the request (and so its tag) different without changing what it asks. */
  readonly variant?: string;
  readonly tag?: string;
}

const reader = (domain = fake.domain, secret = CLIENT_SECRET, id = READER.id) => ({ auth0: { domain, client_id: id, client_secret: secret } });

function request(step: Step = {}): RequestInit {
  const spec = { ...(webhookXr()['spec'] as Record<string, unknown>), ...(step.specStatus ? { status: step.specStatus } : {}) };
  const xr = webhookXr({ spec, metadata: { name: 'crm-user-sync', namespace: 'identity', labels: { variant: step.variant ?? 'a' } } });
  const input = {
    apiVersion: 'fn.auth0.openmcf.org/v1alpha1',
    kind: 'ExpansionConfig',
    spec: 'health' in step ? (step.health === undefined ? {} : { deliveryHealth: step.health }) : { deliveryHealth: { credentials: 'auth0' } },
  };
  const resources: Record<string, unknown> = {};
  if (step.streamId !== undefined) {
    const workspace = expandStream(xr, readConfig(input).config).resources.find((resource) => resource.role === 'workspace')!.object;
    resources['workspace'] = observed(workspace, {
      atProvider: { outputs: { id: step.streamId, status: 'enabled' } },
      conditions: [readyCondition],
    });
  }
  const credentials = Object.fromEntries(
    Object.entries(step.credentials ?? reader()).map(([name, keys]) => [
      name,
      { credentialData: { data: Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, Buffer.from(value)])) } },
    ]),
  );
  return {
    ...(step.tag ? { meta: { tag: step.tag } } : {}),
    observed: { composite: { resource: xr }, resources: resources as never },
    input: input,
    credentials,
  };
}

async function run(step: Step = {}): Promise<RunFunctionResponse> {
  const response = await call(client, request(step));
  responses.push(response);
  return response;
}

function health(response: RunFunctionResponse): { status: Status; reason: string; message: string } | undefined {
  const found = response.conditions.filter((condition) => condition.type === 'DeliveryHealthy');
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0] === undefined ? undefined : { status: found[0].status, reason: found[0].reason, message: found[0].message ?? '' };
}

/** Requests to the Management API, as `METHOD /path` below /api/v2 (the token request left out). */
const apiCalls = (): string[] => fake.apiCalls();

/** Waits until the fake has seen `count` requests matching `match` (a reading in the background). */
async function seen(match: (request: RecordedRequest) => boolean, count = 1): Promise<void> {
  for (let waited = 0; fake.requests.filter(match).length < count; waited += 20) {
    if (waited > 20_000) throw new Error(`the fake Auth0 did not see the request; it saw ${JSON.stringify(apiCalls())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('what Auth0 reports', () => {
  it('healthy: True, after one read of the stream and one query of its failed deliveries in the window', async () => {
    const response = await run({ streamId: IDS.healthy });
    expect(health(response)).toMatchObject({ status: Status.STATUS_CONDITION_TRUE, reason: 'Delivering' });
    expect(health(response)!.message).toMatch(`Auth0 reports event stream ${IDS.healthy} enabled, with no failed deliveries in the last 1 h.`);
    expect(apiCalls()).toStrictEqual([`GET /event-streams/${IDS.healthy}`, `GET /event-streams/${IDS.healthy}/deliveries`]);
    expect(fake.requests.filter((recorded) => recorded.path === '/oauth/token').length).toBeLessThanOrEqual(1);
    const query = fake.requests.find((recorded) => recorded.path.endsWith('/deliveries'))!;
    expect(Object.keys(query.query).sort()).toStrictEqual(['date_from', 'statuses', 'take']);
    expect([query.query['statuses'], query.query['take']]).toStrictEqual(['failed', '100']);
    const from = Date.parse(query.query['date_from']!);
    const expected = query.at + clock.offsetMs - 3600_000;
    expect(from).toBeLessThanOrEqual(expected);
    expect(from).toBeGreaterThan(expected - 60_000);
    expect(response.meta?.ttl?.seconds, 'the default TTL already brings Crossplane back before the reading expires').toBe(60);
    expect(response.conditions.map((condition) => condition.type)).toStrictEqual(['Valid', 'StreamCreated', 'DeliveryHealthy']);
  });

  it('auto-disabled: False, with what to do', async () => {
    const condition = health(await run({ streamId: IDS.disabled }));
    expect(condition).toMatchObject({ status: Status.STATUS_CONDITION_FALSE, reason: 'AutoDisabled' });
    expect(condition!.message).toMatch(/500 consecutive or 5,000 failed deliveries/);
    expect(condition!.message).toMatch(`auth0-eventstream-fn redeliver ${IDS.disabled} --since 1h`);
    expect(condition!.message).toMatch(/set spec\.status: enabled/);
  });

  it('failing: False, with the count in the window and the last error, its URL cut to scheme, host and path', async () => {
    const condition = health(await run({ streamId: IDS.failing }));
    expect(condition).toMatchObject({ status: Status.STATUS_CONDITION_FALSE, reason: 'Failing' });
    expect(condition!.message).toMatch(
      new RegExp(
        `^3 failed deliveries in the last 1 h of event stream ${IDS.failing}; the last at \\S+ \\(user\\.created\\): POST https://hooks\\.example\\.com/in\\?\\*\\*\\* answered 503\\.`,
      ),
    );
    expect(condition!.message).not.toContain(HOOK_QUERY_SECRET);
  });

  it('a stream Auth0 does not have: False, and its deliveries are not asked for', async () => {
    expect(health(await run({ streamId: IDS.gone }))).toMatchObject({ status: Status.STATUS_CONDITION_FALSE, reason: 'StreamNotFound' });
    expect(apiCalls()).toStrictEqual([`GET /event-streams/${IDS.gone}`]);
  });

  it('spec.status disabled and Auth0 agreeing: True', async () => {
    const condition = health(await run({ streamId: IDS.disabled, specStatus: 'disabled' }));
    expect(condition).toMatchObject({ status: Status.STATUS_CONDITION_TRUE, reason: 'Disabled' });
  });
});

describe('when the function cannot look', () => {
  it('no stream id yet: Unknown, and nothing is asked', async () => {
    const response = await run();
    expect(health(response)).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'StreamNotCreated' });
    expect(fake.requests).toStrictEqual([]);
  });

  it('credentials the step does not have, or without a key: Unknown, and nothing is asked', async () => {
    expect(health(await run({ streamId: IDS.healthy, credentials: {} }))).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'CredentialsMissing' });
    const incomplete = health(await run({ streamId: IDS.healthy, credentials: { auth0: { domain: fake.domain, client_id: READER.id } } }));
    expect(incomplete).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'CredentialsInvalid' });
    expect(incomplete!.message).toMatch(/have no client_secret/);
    expect(health(await run({ streamId: IDS.healthy, credentials: reader('https://acme.eu.auth0.com/api/v2') }))).toMatchObject({ reason: 'CredentialsInvalid' });
    expect(fake.requests).toStrictEqual([]);
  });

  it('a wrong client secret: Unknown, Auth0 refused the client credentials', async () => {
    const condition = health(await run({ streamId: IDS.scopes, credentials: reader(fake.domain, 'cs-not-the-right-secret-000000') }));
    expect(condition).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'Unauthorized' });
    expect(condition!.message).toMatch(/refused the client credentials of the step credentials "auth0" \(401 access_denied: Unauthorized\)/);
    expect(fake.requests.map((recorded) => `${recorded.method} ${recorded.path}`)).toStrictEqual(['POST /oauth/token']);
  });

  it('an application without read:event_deliveries: Unknown, naming the scope', async () => {
    const condition = health(await run({ streamId: IDS.scopes, credentials: reader(fake.domain, CLIENT_SECRET, STREAMS_ONLY.id) }));
    expect(condition).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'Forbidden' });
    expect(condition!.message).toMatch(/lacks the scope read:event_deliveries\. Grant it read:event_streams and read:event_deliveries/);
  });

  it('an application not authorized for the Management API: Unknown, saying so', async () => {
    const condition = health(await run({ streamId: IDS.scopes, credentials: reader(fake.domain, CLIENT_SECRET, UNGRANTED.id) }));
    expect(condition).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'Forbidden' });
    expect(condition!.message).toMatch(/will not issue a Management API token/);
  });

  it('a closed port: Unknown, Auth0 unreachable', async () => {
    const port = await freePort();
    const condition = health(await run({ streamId: IDS.unreachable, credentials: reader(`127.0.0.1:${port}`) }));
    expect(condition).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'Auth0Unreachable' });
    expect(condition!.message).toMatch(`Cannot reach Auth0 at 127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('a server that never answers: the call returns with Unknown while the reading is still on its way', async () => {
    const silent = await silentServer();
    try {
      const domain = `127.0.0.1:${silent.port}`;
      const first = await run({ streamId: IDS.unreachable, credentials: reader(domain) });
      expect(health(first)).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'Checking' });
      expect(health(first)!.message).toMatch(`Asked Auth0 at ${domain}`);
      expect(first.meta?.ttl?.seconds, 'Crossplane comes back soon for the answer').toBe(5);
      expect(silent.connections(), 'the reading is under way').toBeGreaterThan(0);
      const second = await run({ streamId: IDS.unreachable, credentials: reader(domain), variant: 'b' });
      expect(health(second)).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'Checking' });
      expect(silent.connections(), 'no second reading is started').toBe(1);
    } finally {
      await silent.close();
    }
  });
});

describe('one reading per interval', () => {
  it('within the interval nothing more is asked; after it, once, and the next calls see the new reading', async () => {
    await run({ streamId: IDS.ttl });
    expect(apiCalls()).toHaveLength(2);
    fake.reset();
    const within = await run({ streamId: IDS.ttl, variant: 'b' });
    expect(health(within)?.reason).toBe('Delivering');
    expect(fake.requests, 'a new request within the interval asks Auth0 nothing').toStrictEqual([]);

    fake.setTenant(
      TENANT.map((stream) => (stream.id === IDS.ttl ? tenantStream(IDS.ttl, 'disabled') : stream)),
      deliveries(),
    );
    clock.forward(301);
    const expired = await run({ streamId: IDS.ttl, variant: 'c' });
    expect(health(expired)?.reason, 'the last reading, answered at once').toBe('Delivering');
    expect(expired.meta?.ttl?.seconds).toBe(5);
    await seen((recorded) => recorded.path.endsWith('/deliveries'));
    const fresh = await run({ streamId: IDS.ttl, variant: 'd' });
    expect(health(fresh)?.reason).toBe('AutoDisabled');
    expect(apiCalls(), 'one reading, with the token the client already has').toStrictEqual([`GET /event-streams/${IDS.ttl}`, `GET /event-streams/${IDS.ttl}/deliveries`]);
    expect(fake.requests.filter((recorded) => recorded.path === '/oauth/token')).toStrictEqual([]);
  });

  it('a response kept by request tag is answered again only until its reading expires', async () => {
    const tag = 'delivery-health-same-tag';
    const first = await run({ streamId: IDS.cached, tag });
    expect(health(first)?.reason).toBe('Delivering');
    fake.setTenant(TENANT, { ...deliveries(), [IDS.cached]: [failedDelivery(IDS.cached, 1, 1, now())] });
    fake.reset();
    const again = await run({ streamId: IDS.cached, tag });
    expect(RunFunctionResponse.encode(again).finish(), 'the same tag within the interval: the cached answer').toStrictEqual(RunFunctionResponse.encode(first).finish());
    expect(fake.requests).toStrictEqual([]);

    clock.forward(301);
    expect(health(await run({ streamId: IDS.cached, tag }))?.reason, 'expired: not the cached answer, the last reading while a new one is read').toBe('Delivering');
    await seen((recorded) => recorded.path.endsWith('/deliveries'));
    expect(health(await run({ streamId: IDS.cached, tag }))?.reason).toBe('Failing');
  });
});

describe('without deliveryHealth in the step input', () => {
  it('no condition, no request to Auth0, and the response byte for byte what the composer makes', async () => {
    const init = { ...request({ streamId: IDS.healthy, health: undefined }), meta: { tag: 'no-delivery-health' } };
    const response = await call(client, init);
    expect(health(response)).toBeUndefined();
    expect(fake.requests).toStrictEqual([]);
    const composed = runFunction(RunFunctionRequest.fromPartial(init as Parameters<typeof RunFunctionRequest.fromPartial>[0]));
    expect(Buffer.from(RunFunctionResponse.encode(response).finish())).toStrictEqual(Buffer.from(RunFunctionResponse.encode(composed).finish()));
  });
});

describe('what never happens', () => {
  it('no request but the token request changes anything in Auth0', () => {
    expect(seenRequests.length).toBeGreaterThan(10);
    const mutating = seenRequests.filter((recorded) => recorded.method !== 'GET' && !(recorded.method === 'POST' && recorded.path === '/oauth/token'));
    expect(mutating.map((recorded) => `${recorded.method} ${recorded.path}`)).toStrictEqual([]);
  });

  it('the client secret and the access tokens appear in no response and no log line', () => {
    expect(fake.issuedTokens.length).toBeGreaterThan(0);
    const logs = server.stderr();
    expect(logs).toMatch(/"msg":"delivery health read"/);
    const texts = [logs, ...responses.map((response) => JSON.stringify(RunFunctionResponse.toJSON(response)))];
    const secrets = [CLIENT_SECRET, JSON.stringify(CLIENT_SECRET).slice(1, -1), 'cs-not-the-right-secret-000000', ...fake.issuedTokens];
    for (const text of texts) for (const secret of secrets) expect(text.includes(secret), `holds ${secret.slice(0, 12)}…`).toBe(false);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Accepts connections and never says a word (not even the TLS handshake). */
async function silentServer(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const silent: Server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        silent.close(() => resolve());
      }),
  };
}
