/**
 * `import` against the fake Management API, run as the built CLI: exactly which requests it makes, pagination,
 * rate limits, refusals, what it writes, and the round trip import → function → the same streams.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADOPT_ANNOTATION, readConfig } from '../../src/core/index.js';
import { parseYaml, parseYamlDocuments } from '../../src/krm/yaml.js';
import { compareShapes, liveShape } from '../../src/tenant/desired.js';
import { parseStream } from '../../src/tenant/model.js';
import { IDS, READER, STREAMS, STREAMS_ONLY, UNGRANTED } from '../support/auth0-fixtures.js';
import { FakeAuth0, type ApiStream } from '../support/fake-auth0.js';
import { runCli } from '../support/tenant-cli.js';
import { checkTool, cliPath, envWithFunction, requireBuiltCli } from '../support/tools.js';
import { expectNoSecrets, expectReadOnly } from './leaks.js';

let fake: FakeAuth0;
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-import-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  requireBuiltCli();
  fake = await FakeAuth0.start({ clients: [READER, STREAMS_ONLY, UNGRANTED], streams: STREAMS, pageSize: 3 });
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface ResourceListOut {
  items: { metadata: { name: string; annotations: Record<string, string> }; spec: Record<string, unknown>; status: { outputs: Record<string, unknown> } }[];
}

describe('import: a ResourceList on stdout', () => {
  it('asks for a token once, then reads every page and nothing else', async () => {
    const run = await runCli(['import'], fake, { client: READER });
    expect(run.code, run.stderr).toBe(3); // the stream of an unknown destination type is skipped
    expect(fake.requests.map((request) => `${request.method} ${request.path} ${new URLSearchParams(request.query).toString()}`)).toEqual([
      'POST /oauth/token ',
      'GET /api/v2/event-streams take=100',
      // The server pages by 3 whatever `take` says; the command follows `next` until there is none.
      `GET /api/v2/event-streams from=${Buffer.from('offset:3').toString('base64url')}&take=100`,
      `GET /api/v2/event-streams from=${Buffer.from('offset:6').toString('base64url')}&take=100`,
    ]);
    const token = fake.requests[0]!.body as Record<string, string>;
    expect(token).toMatchObject({ grant_type: 'client_credentials', client_id: READER.id, audience: `https://${fake.domain}/api/v2/` });
    expect(fake.requests.slice(1).every((request) => request.authorization === `Bearer ${fake.issuedTokens[0]}`)).toBe(true);
    expectReadOnly(fake);
    expectNoSecrets(run, fake);
  });

  it('writes every supported stream with its subscriptions, destination, status, adoption annotation and outputs', async () => {
    const run = await runCli(['import', '--namespace', 'identity'], fake, { client: READER });
    const list = parseYaml(run.stdout) as ResourceListOut;
    expect(list.items.map((item) => item.metadata.name).sort()).toEqual(
      STREAMS.filter((s) => s.destination.type !== 'kafka')
        .map((s) => s.name)
        .sort(),
    );
    const crm = list.items.find((item) => item.metadata.name === 'crm-user-sync')!;
    expect(crm).toEqual({
      apiVersion: 'auth0.openmcf.org/v1',
      kind: 'Auth0EventStream',
      metadata: {
        name: 'crm-user-sync',
        namespace: 'identity',
        annotations: { [ADOPT_ANNOTATION]: IDS.crm, 'config.kubernetes.io/local-config': 'true', 'internal.config.kubernetes.io/path': 'crm-user-sync.yaml' },
      },
      spec: {
        destination_type: 'webhook',
        status: 'enabled',
        subscriptions: ['user.created', 'user.updated', 'user.deleted'],
        webhook_configuration: {
          webhook_endpoint: 'https://crm.example.com/hooks/auth0',
          webhook_authorization: { method: 'bearer', token_secret_ref: { name: 'crm-user-sync-webhook-auth', key: 'token' } },
        },
      },
      status: {
        outputs: {
          id: IDS.crm,
          name: 'crm-user-sync',
          status: 'enabled',
          destination_type: 'webhook',
          subscriptions: ['user.created', 'user.updated', 'user.deleted'],
          created_at: '2026-01-16T08:50:33.955Z',
          updated_at: '2026-02-03T11:02:07.120Z',
        },
      },
    });
    const bus = list.items.find((item) => item.metadata.name === 'identity-bus')!;
    expect(bus.spec['eventbridge_configuration']).toEqual({ aws_account_id: '242849305777', aws_region: 'eu-west-1' });
    expect(bus.status.outputs['aws_partner_event_source']).toBe('aws.partner/auth0.com/acme-prod-fbedbd06-5747-42cc-afde-016050660582/auth0.events');
    // `default` is Auth0's placeholder before the partner event source exists: not a name to associate a bus with.
    expect(list.items.find((item) => item.metadata.name === 'fresh-bus')!.status.outputs).not.toHaveProperty('aws_partner_event_source');
    const enrich = list.items.find((item) => item.metadata.name === 'enrich-profile')!;
    expect(enrich.spec).toEqual({
      destination_type: 'action',
      status: 'enabled',
      subscriptions: ['user.created'],
      action_configuration: { action_id: '6018e89f-245f-4da3-ac9f-e22fc6d8b0d1' },
    });
    expect(enrich.status.outputs['destination_type']).toBe('action');
    const billing = list.items.find((item) => item.metadata.name === 'billing-hook')!;
    expect(billing.spec['status']).toBe('disabled');
    expect(billing.spec['webhook_configuration']).toEqual({
      webhook_endpoint: 'https://billing.example.com/auth0/events',
      webhook_authorization: { method: 'basic', username: 'auth0-events', password_secret_ref: { name: 'billing-hook-webhook-auth', key: 'password' } },
    });
    for (const item of list.items) expect(item.metadata.annotations[ADOPT_ANNOTATION]).toMatch(/^est_[A-Za-z0-9]{22}$/);
  });

  it('lists on stderr the Secrets to create and the streams it skipped', async () => {
    const run = await runCli(['import', '--namespace', 'identity'], fake, { client: READER });
    expect(run.stderr).toContain(`${fake.domain}: 8 event streams, 7 imported (ResourceList on stdout), 1 skipped.`);
    expect(run.stderr).toMatch(/identity\/crm-user-sync-webhook-auth\s+token\s+crm-user-sync\s+bearer/);
    expect(run.stderr).toMatch(/identity\/billing-hook-webhook-auth\s+password\s+billing-hook\s+basic/);
    expect(run.stderr).toMatch(/identity\/audit-trail-webhook-auth\s+header_value\s+audit-trail\s+custom_header/);
    expect(run.stderr).toContain(`kafka-bridge (${IDS.future}): its destination type "kafka" cannot be described by an Auth0EventStream`);
  });
});

describe('import: round trip', () => {
  it('the function accepts the output (exit 0, no error result), and each Workspace module recreates the same stream with the adoption id', async () => {
    const run = await runCli(['import', '--namespace', 'identity'], fake, { client: READER });
    const rendered = spawnSync(process.execPath, [cliPath], { input: run.stdout, encoding: 'utf8' });
    expect(rendered.status, rendered.stderr).toBe(0);
    const output = parseYaml(rendered.stdout) as {
      items: { kind: string; metadata: { annotations?: Record<string, string> }; spec: { forProvider: { module: string } } }[];
      results?: { severity: string }[];
    };
    expect((output.results ?? []).filter((result) => result.severity === 'error')).toEqual([]);
    const { config } = readConfig(undefined);
    const { desiredShape } = await import('../../src/tenant/desired.js');
    const streams = output.items.filter((item) => item.kind === 'Auth0EventStream');
    expect(streams).toHaveLength(7);
    for (const item of streams) {
      const id = item.metadata.annotations![ADOPT_ANNOTATION]!;
      const live = parseStream(
        STREAMS.find((stream) => stream.id === id),
        'fixture',
      );
      const desired = desiredShape(item, config);
      if (!desired.ok) throw new Error(JSON.stringify(desired.findings));
      expect(compareShapes(desired.shape, liveShape(live))).toEqual([]);
      expect(desired.shape).toEqual(liveShape(live));
    }
    // One Workspace per stream; EventBridge resources only where Auth0 reported the partner event source.
    expect(output.items.filter((item) => item.kind === 'Workspace')).toHaveLength(7);
    expect(output.items.filter((item) => item.kind === 'Bus')).toHaveLength(1);
    expect(output.items.filter((item) => item.kind === 'Secret')).toHaveLength(0);
    // A second run of the function on its own output changes nothing.
    const again = spawnSync(process.execPath, [cliPath], { input: rendered.stdout, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(rendered.stdout);
  });

  const kpt = checkTool('kpt');
  it.skipIf(!kpt.available)('real kpt: import | kpt fn sink, then kpt fn eval --exec the function on the package: no stream changes', async () => {
    // The hostile name is left out: the KRM adapter names its generated file after the raw stream name.
    const tame = await FakeAuth0.start({ clients: [READER], streams: STREAMS.filter((stream: ApiStream) => stream.id !== IDS.hostile) });
    try {
      const run = await runCli(['import', '--namespace', 'identity'], tame, { client: READER });
      expect(run.code, run.stderr).toBe(3);
      const dir = join(tempDir(), 'pkg');
      const sink = spawnSync('kpt', ['fn', 'sink', dir], { input: run.stdout, encoding: 'utf8' });
      expect(sink.status, sink.stderr).toBe(0);
      const before = Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
      expect(Object.keys(before).sort()).toEqual(['audit-trail.yaml', 'billing-hook.yaml', 'crm-user-sync.yaml', 'enrich-profile.yaml', 'fresh-bus.yaml', 'identity-bus.yaml']);
      const evaluated = spawnSync('kpt', ['fn', 'eval', dir, '--exec', 'auth0-eventstream-fn'], { encoding: 'utf8', env: envWithFunction() });
      expect(evaluated.status, evaluated.stderr).toBe(0);
      for (const [file, text] of Object.entries(before)) expect(readFileSync(join(dir, file), 'utf8')).toBe(text);
      expect(
        readdirSync(dir)
          .filter((file) => file.endsWith('.generated.yaml'))
          .sort(),
      ).toEqual([
        'audit-trail.generated.yaml',
        'billing-hook.generated.yaml',
        'crm-user-sync.generated.yaml',
        'enrich-profile.generated.yaml',
        'fresh-bus.generated.yaml',
        'identity-bus.generated.yaml',
      ]);
    } finally {
      await tame.close();
    }
  });
});

describe('import --dir', () => {
  it('writes one file per stream, named safely for any stream name, each passing the function', async () => {
    const dir = join(tempDir(), 'streams');
    const run = await runCli(['import', '--dir', dir], fake, { client: READER });
    expect(run.code, run.stderr).toBe(3);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      'audit-trail.yaml',
      'billing-hook.yaml',
      expect.stringMatching(/^crm-sync-prod-etc-passwd-n-[0-9a-f]{8}\.yaml$/),
      'crm-user-sync.yaml',
      'enrich-profile.yaml',
      'fresh-bus.yaml',
      'identity-bus.yaml',
    ]);
    const texts = files.map((file) => readFileSync(join(dir, file), 'utf8'));
    expectNoSecrets(run, fake, texts);
    const hostile = parseYamlDocuments(texts[2]!)[0] as { metadata: { name: string } };
    expect(hostile.metadata.name).toBe('CRM Sync (prod) ../../etc/passwd: ünï');
    expect(texts[3]).toMatch(
      /^# Auth0 event stream est_Crm7Hook2Bearer9User4x of 127\.0\.0\.1:\d+, imported by auth0-eventstream-fn import\.\n# Before the first apply, create the Secret crm-user-sync-webhook-auth with the key token/,
    );
    // Every file, as its own package, passes the function.
    for (const text of texts) {
      const rendered = spawnSync(process.execPath, [cliPath, join(tempDir(), 'no-config')], {
        input: text,
        encoding: 'utf8',
        env: { ...process.env, KUSTOMIZE_PLUGIN_CONFIG_STRING: '' },
      });
      expect(rendered.status, rendered.stderr).toBe(0);
    }
  });

  it('writes nothing over existing files unless --force', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'crm-user-sync.yaml'), '# my edits\n');
    const refused = await runCli(['import', '--dir', dir], fake, { client: READER });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${dir} already holds crm-user-sync.yaml; nothing was written. Import into an empty directory, or pass --force`);
    expect(readdirSync(dir)).toEqual(['crm-user-sync.yaml']);
    expect(readFileSync(join(dir, 'crm-user-sync.yaml'), 'utf8')).toBe('# my edits\n');
    const forced = await runCli(['import', '--dir', dir, '--force'], fake, { client: READER });
    expect(forced.code).toBe(3);
    expect(readFileSync(join(dir, 'crm-user-sync.yaml'), 'utf8')).toContain('adopt-stream-id: est_Crm7Hook2Bearer9User4x');
  });
});

describe('import: when Auth0 says no', () => {
  it('retries 429 as Retry-After says, then goes on', async () => {
    fake.answerNext((request) => request.path === '/api/v2/event-streams' && request.query['from'] !== undefined, 2, { status: 429, headers: { 'retry-after': '1' } });
    const run = await runCli(['import'], fake, { client: READER });
    expect(run.code, run.stderr).toBe(3);
    const pages = fake.requests.filter((request) => request.path === '/api/v2/event-streams');
    expect(pages.map((request) => request.query['from'] ?? 'first')).toEqual(['first', 'b2Zmc2V0OjM', 'b2Zmc2V0OjM', 'b2Zmc2V0OjM', 'b2Zmc2V0OjY']);
    // The command waited at least what Retry-After asked (a lower bound only: a slow machine waits longer).
    expect(pages[2]!.at - pages[1]!.at).toBeGreaterThanOrEqual(950);
    expect((parseYaml(run.stdout) as ResourceListOut).items).toHaveLength(7);
  });

  it('gives up after --max-retries, writes no partial ResourceList, and says why', async () => {
    fake.answerNext((request) => request.path === '/api/v2/event-streams', 100, { status: 429, headers: { 'retry-after': '0' } });
    const run = await runCli(['import', '--max-retries', '2'], fake, { client: READER });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('still answered 429 Too Many Requests to GET /api/v2/event-streams after 2 retries');
    expect(fake.requests.filter((request) => request.path === '/api/v2/event-streams')).toHaveLength(3);
  });

  it('retries a rate-limited token request too', async () => {
    fake.answerNext((request) => request.path === '/oauth/token', 1, { status: 429, headers: { 'retry-after': '0' } });
    const run = await runCli(['import'], fake, { client: READER });
    expect(run.code, run.stderr).toBe(3);
    expect(fake.requests.filter((request) => request.path === '/oauth/token')).toHaveLength(2);
  });

  it('a stream the function would reject as it is (an event type this version does not know) is written, and named on stderr: exit 3', async () => {
    const newer = { ...STREAMS[0]!, subscriptions: [{ event_type: 'user.created' }, { event_type: 'user.session.revoked' }] };
    fake.setTenant([newer]);
    try {
      const run = await runCli(['import'], fake, { client: READER });
      expect(run.code).toBe(3);
      expect((parseYaml(run.stdout) as ResourceListOut).items).toHaveLength(1);
      expect(run.stderr).toContain('The function rejects these manifests as written; fix them (or the function config) before running it:');
      expect(run.stderr).toMatch(/crm-user-sync\.yaml \(crm-user-sync\): spec\.subscriptions\[1\]: "user\.session\.revoked" is not an Auth0 event type/);
    } finally {
      fake.setTenant(STREAMS);
    }
  });

  it('401: wrong client secret — names the variables, never the secret', async () => {
    const run = await runCli(['import'], fake, { client: { ...READER, secret: 'wrong-secret-value-123' }, env: { AUTH0_CLIENT_SECRET: 'wrong-secret-value-123' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Auth0 at ${fake.domain} refused the client credentials (401 access_denied: Unauthorized): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET`);
    expect(run.stderr).not.toContain('wrong-secret-value-123');
    expect(fake.apiCalls()).toEqual([]);
  });

  it('403 at the token endpoint: the application is not authorized for the Management API', async () => {
    const run = await runCli(['import'], fake, { client: UNGRANTED });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('will not issue a Management API token to this application');
    expect(run.stderr).toContain('authorize it for the Auth0 Management API');
  });

  it('401 from the API: a rejected access token', async () => {
    fake.answerNext((request) => request.path === '/api/v2/event-streams', 1, { status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' } });
    const run = await runCli(['import'], fake, { client: READER });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('rejected the access token for GET /api/v2/event-streams (401 Unauthorized: Invalid token)');
    expectNoSecrets(run, fake);
  });

  it('an untrusted certificate: nothing is sent past the handshake, and the message points at NODE_EXTRA_CA_CERTS', async () => {
    const run = await runCli(['import'], fake, { client: READER, env: { NODE_EXTRA_CA_CERTS: undefined } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /cannot verify the TLS certificate of 127\.0\.0\.1:\d+ \([A-Z_]+\): if a proxy or a private CA signs it, put that CA's PEM file in NODE_EXTRA_CA_CERTS/,
    );
    expect(fake.requests).toEqual([]);
  });

  it('flags override the environment for the domain and the client id', async () => {
    const run = await runCli(['import', '--domain', fake.domain, '--client-id', READER.id], fake, {
      client: READER,
      env: { AUTH0_DOMAIN: 'elsewhere.invalid', AUTH0_CLIENT_ID: 'someone-else' },
    });
    expect(run.code, run.stderr).toBe(3);
    expect((fake.requests[0]!.body as Record<string, string>)['client_id']).toBe(READER.id);
  });

  it('refuses the secret on the command line and missing credentials, before any request', async () => {
    const flag = await runCli(['import', '--client-secret', 'x'], fake, { client: READER });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('the client secret is read only from AUTH0_CLIENT_SECRET');
    const missing = await runCli(['import'], fake, { env: { AUTH0_DOMAIN: undefined } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing Auth0 client credentials: set AUTH0_DOMAIN (or --domain), AUTH0_CLIENT_ID (or --client-id), AUTH0_CLIENT_SECRET.');
    expect(fake.requests).toEqual([]);
  });
});
