/**
 * `status` against the fake Management API, run as the built CLI: which streams it reads and how, the states
 * and exit codes (one per condition, the most serious winning), drift after the core's normalization, JSON
 * output, and that it never changes anything in Auth0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { stringifyYaml } from '../../src/krm/yaml.js';
import { ADOPT_ANNOTATION } from '../../src/core/index.js';
import { streamManifest } from '../../src/tenant/manifest.js';
import { parseStream } from '../../src/tenant/model.js';
import { failedDelivery, IDS, READER, STREAMS, STREAMS_ONLY } from '../support/auth0-fixtures.js';
import { FakeAuth0, type ApiStream } from '../support/fake-auth0.js';
import { resourceList } from '../support/krm.js';
import { runCli } from '../support/tenant-cli.js';
import { requireBuiltCli } from '../support/tools.js';
import { expectNoSecrets, expectReadOnly } from './leaks.js';

let fake: FakeAuth0;
const dirs: string[] = [];

beforeAll(async () => {
  requireBuiltCli();
  fake = await FakeAuth0.start({ clients: [READER, STREAMS_ONLY], streams: STREAMS, pageSize: 3 });
});
beforeEach(() => {
  fake.reset();
  fake.setTenant(STREAMS);
});
afterAll(async () => {
  await fake.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const api = (id: string): ApiStream => STREAMS.find((stream) => stream.id === id)!;

/** The manifest `import` writes for a fixture stream, changed by `edit`. */
function manifest(id: string, edit: (manifest: KubeObject) => void = () => {}): KubeObject {
  const made = streamManifest(parseStream(api(id), 'fixture'), { namespace: 'identity' });
  if (!made.ok) throw new Error(made.reason);
  const copy = structuredClone(made.manifest);
  edit(copy);
  return copy;
}

function writePackage(manifests: readonly KubeObject[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-status-'));
  dirs.push(dir);
  manifests.forEach((item, index) => writeFileSync(join(dir, `stream-${index}.yaml`), stringifyYaml(item)));
  writeFileSync(join(dir, 'Kptfile'), 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: streams\n');
  return dir;
}

interface StatusJson {
  tenant: string;
  window: { from: string; to: string };
  streams: {
    name?: string;
    id?: string;
    state: string;
    status?: string;
    failures?: { count: number; truncated: boolean; last?: { at: string; eventType: string; eventId?: string; error?: string } };
    drift: { field: string; manifest: unknown; auth0: unknown }[];
    problem?: string;
  }[];
  summary: Record<string, number>;
  exitCode: number;
}

const spec = (item: KubeObject): Record<string, unknown> => item['spec'] as Record<string, unknown>;

describe('status of a package', () => {
  it('healthy streams: exit 0, one GET per stream and one deliveries query per stream, nothing else', async () => {
    const dir = writePackage([manifest(IDS.crm), manifest(IDS.bus), manifest(IDS.audit)]);
    const run = await runCli(['status', dir], fake, { client: READER });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(fake.requests[0]!.path).toBe('/oauth/token');
    expect(fake.apiCalls().sort()).toEqual([IDS.crm, IDS.bus, IDS.audit].flatMap((id) => [`GET /event-streams/${id}`, `GET /event-streams/${id}/deliveries`]).sort());
    for (const request of fake.requests.filter((r) => r.path.endsWith('/deliveries'))) {
      expect(Object.keys(request.query).sort()).toEqual(['date_from', 'statuses', 'take']);
      expect(request.query['statuses']).toBe('failed');
      expect(request.query['take']).toBe('100');
      expect(request.query['date_from']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      // 24 hours before the run, to the second (the run took less than an hour).
      expect(Math.abs(Date.parse(request.query['date_from']!) - (request.at - 86_400_000))).toBeLessThan(3_600_000);
    }
    expectReadOnly(fake);
    expectNoSecrets(run, fake);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^STATE\s+STREAM\s+ID\s+DESTINATION\s+STATUS\s+FAILURES \(24h\)\s+LAST FAILURE\s+DRIFT$/);
    expect(lines[1]).toMatch(/^OK\s+crm-user-sync\s+est_Crm7Hook2Bearer9User4x\s+webhook https:\/\/crm\.example\.com\/hooks\/auth0\s+enabled\s+0\s+-\s+-$/);
    expect(run.stdout).toContain('3 streams: 3 ok; exit 0 (every stream delivers as its manifest says).');
  });

  it('failing: counts the failed deliveries of the window (all pages) and shows the last one; exit 4', async () => {
    const now = Date.now();
    const recent = Array.from({ length: 7 }, (_, i) => failedDelivery(IDS.crm, i, 10 + i * 30, now));
    const old = failedDelivery(IDS.crm, 99, 60 * 48, now, 'too old to count');
    fake.setTenant(STREAMS, { [IDS.crm]: [...recent, old] });
    const dir = writePackage([manifest(IDS.crm), manifest(IDS.bus)]);
    const run = await runCli(['status', dir, '--output', 'json'], fake, { client: READER });
    expect(run.code).toBe(4);
    const report = JSON.parse(run.stdout) as StatusJson;
    expect(report.exitCode).toBe(4);
    const crm = report.streams.find((stream) => stream.id === IDS.crm)!;
    expect(crm.state).toBe('failing');
    expect(crm.failures).toEqual({
      count: 7,
      truncated: false,
      last: { at: recent[0]!.attempts[3]!.timestamp, eventType: 'user.created', eventId: recent[0]!.event!.id, error: 'Request failed with status code 503' },
    });
    // The fake pages deliveries by 3: the command followed `next` to count them all.
    expect(fake.apiCalls().filter((call) => call === `GET /event-streams/${IDS.crm}/deliveries`)).toHaveLength(3);
    expect(report.streams.find((stream) => stream.id === IDS.bus)!.state).toBe('ok');
    expect(report.summary).toEqual({ ok: 1, error: 0, missing: 0, disabled: 0, failing: 1, drifted: 0 });
    const allowed = await runCli(['status', dir, '--max-failures', '7'], fake, { client: READER });
    expect(allowed.code).toBe(0);
  });

  it('disabled in Auth0 although the manifest does not say so (auto-disabled): exit 3; disabled as declared: fine', async () => {
    const enabledInManifest = manifest(IDS.billing, (item) => {
      spec(item)['status'] = 'enabled';
    });
    const run = await runCli(['status', writePackage([enabledInManifest, manifest(IDS.crm)])], fake, { client: READER });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^DISABLED\s+billing-hook\s+est_Bill1Basic8Auth3Dis5yQ\s+.*\s+disabled\s+0\s+-\s+status$/m);
    expect(run.stdout).toContain('billing-hook: status is enabled in the manifest, disabled in Auth0');

    const unmanaged = manifest(IDS.billing, (item) => {
      delete spec(item)['status'];
    });
    expect((await runCli(['status', writePackage([unmanaged])], fake, { client: READER })).code).toBe(3);
    expect((await runCli(['status', writePackage([manifest(IDS.billing)])], fake, { client: READER })).code).toBe(0);
  });

  it('drift: compared after normalization (wildcards expanded), reported field by field; exit 5', async () => {
    const wildcard = manifest(IDS.crm, (item) => {
      spec(item)['subscriptions'] = ['user.*'];
    });
    expect((await runCli(['status', writePackage([wildcard])], fake, { client: READER })).code).toBe(0);

    const changed = manifest(IDS.crm, (item) => {
      spec(item)['subscriptions'] = ['user.created', 'organization.created'];
      (spec(item)['webhook_configuration'] as Record<string, unknown>)['webhook_endpoint'] = 'https://crm.example.com/v2';
    });
    const run = await runCli(['status', writePackage([changed])], fake, { client: READER });
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/^DRIFTED\s+crm-user-sync\s+.*\s+subscriptions,webhook_endpoint$/m);
    expect(run.stdout).toContain('crm-user-sync: subscribed in Auth0 only: user.deleted, user.updated; in the manifest only: organization.created');
    expect(run.stdout).toContain('crm-user-sync: webhook_endpoint is https://crm.example.com/v2 in the manifest, https://crm.example.com/hooks/auth0 in Auth0');

    const json = JSON.parse((await runCli(['status', writePackage([changed]), '--output', 'json'], fake, { client: READER })).stdout) as StatusJson;
    expect(json.streams[0]!.drift).toEqual([
      { field: 'subscriptions', manifest: ['organization.created', 'user.created'], auth0: ['user.created', 'user.deleted', 'user.updated'] },
      { field: 'webhook_endpoint', manifest: 'https://crm.example.com/v2', auth0: 'https://crm.example.com/hooks/auth0' },
    ]);
  });

  it('a manifest without an id is found by name (one paged list, no GET by id); an unknown name is missing: exit 3', async () => {
    const byName = manifest(IDS.crm, (item) => {
      delete item.metadata.annotations;
      delete item['status'];
    });
    const unknown = manifest(IDS.audit, (item) => {
      item.metadata.name = 'not-applied-yet';
      delete item.metadata.annotations;
      delete item['status'];
    });
    const run = await runCli(['status', writePackage([byName, unknown]), '--output', 'json'], fake, { client: READER });
    expect(run.code).toBe(3);
    expect(fake.apiCalls()).toEqual(['GET /event-streams', 'GET /event-streams', 'GET /event-streams', `GET /event-streams/${IDS.crm}/deliveries`]);
    const report = JSON.parse(run.stdout) as StatusJson;
    expect(report.streams.map((stream) => [stream.name, stream.state, stream.id])).toEqual([
      ['crm-user-sync', 'ok', IDS.crm],
      ['not-applied-yet', 'missing', undefined],
    ]);
    expect(report.streams[1]!.problem).toMatch(/the tenant has no event stream named "not-applied-yet"; the package was not applied yet/);
  });

  it('the most serious condition sets the exit code: disabled over failing over drifted', async () => {
    fake.setTenant(STREAMS, { [IDS.crm]: [failedDelivery(IDS.crm, 1, 5, Date.now())] });
    const drifted = manifest(IDS.bus, (item) => {
      spec(item)['subscriptions'] = ['user.created'];
    });
    const disabled = manifest(IDS.billing, (item) => {
      spec(item)['status'] = 'enabled';
    });
    expect((await runCli(['status', writePackage([drifted])], fake, { client: READER })).code).toBe(5);
    expect((await runCli(['status', writePackage([drifted, manifest(IDS.crm)])], fake, { client: READER })).code).toBe(4);
    expect((await runCli(['status', writePackage([drifted, manifest(IDS.crm), disabled])], fake, { client: READER })).code).toBe(3);
    const invalid = manifest(IDS.audit, (item) => {
      spec(item)['destination_type'] = 'kafka';
    });
    const run = await runCli(['status', writePackage([drifted, manifest(IDS.crm), disabled, invalid])], fake, { client: READER });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ERROR\s+audit-trail\s+est_Audt4Custom6Header2kWe\s+-/m);
    expect(run.stdout).toMatch(/audit-trail: the function rejects this manifest \(.*stream-3.yaml\): /);
    expect(fake.apiCalls().some((call) => call.includes(IDS.audit))).toBe(false);
  });

  it('reads a ResourceList on stdin, as kpt fn source pipes one', async () => {
    const input = stringifyYaml(resourceList([manifest(IDS.crm), manifest(IDS.bus)]));
    const run = await runCli(['status'], fake, { client: READER, input });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 streams: 2 ok');
  });

  it('text from Auth0 cannot drive the terminal', async () => {
    fake.setTenant(STREAMS, { [IDS.crm]: [failedDelivery(IDS.crm, 1, 5, Date.now(), 'bad gateway\u001b[2J\u001b]0;owned\u0007\nnext line')] });
    const run = await runCli(['status', writePackage([manifest(IDS.crm)])], fake, { client: READER });
    expect(run.code).toBe(4);
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(run.stdout).toContain('bad gateway\\u001b[2J');
  });
});

describe('status of ids', () => {
  it('reads each id; an id the tenant does not have is missing (404): exit 3', async () => {
    const missing = 'est_Gone0000000000000000000'.slice(0, 26);
    const run = await runCli(['status', '--id', IDS.crm, '--id', missing, '--output', 'json'], fake, { client: READER });
    expect(run.code).toBe(3);
    expect(fake.apiCalls().sort()).toEqual([`GET /event-streams/${IDS.crm}`, `GET /event-streams/${IDS.crm}/deliveries`, `GET /event-streams/${missing}`].sort());
    const report = JSON.parse(run.stdout) as StatusJson;
    expect(report.streams.map((stream) => [stream.id, stream.state, stream.name])).toEqual([
      [IDS.crm, 'ok', 'crm-user-sync'],
      [missing, 'missing', undefined],
    ]);
    expectReadOnly(fake);
  });

  it('a disabled stream is not delivering: exit 3', async () => {
    expect((await runCli(['status', '--id', IDS.billing], fake, { client: READER })).code).toBe(3);
  });

  it('reads deliveries answered as a bare array too', async () => {
    const arrayFake = await FakeAuth0.start({
      clients: [READER],
      streams: STREAMS,
      deliveriesShape: 'array',
      deliveries: { [IDS.crm]: [failedDelivery(IDS.crm, 1, 5, Date.now())] },
    });
    try {
      const run = await runCli(['status', '--id', IDS.crm, '--output', 'json'], arrayFake, { client: READER });
      expect(run.code).toBe(4);
      expect((JSON.parse(run.stdout) as StatusJson).streams[0]!.failures!.count).toBe(1);
    } finally {
      await arrayFake.close();
    }
  });
});

describe('status: when it cannot check', () => {
  it('403 on deliveries: names the missing scope, exit 1', async () => {
    const run = await runCli(['status', '--id', IDS.crm], fake, { client: STREAMS_ONLY });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `refused GET /api/v2/event-streams/${IDS.crm}/deliveries (403 insufficient_scope: Insufficient scope, expected any of: read:event_deliveries): grant the application the scopes read:event_streams and read:event_deliveries`,
    );
    expectNoSecrets(run, fake);
  });

  it('bad usage: exit 2, before any request', async () => {
    for (const args of [
      ['status', '--id', 'est_nope'],
      ['status', '--since', 'yesterday', '--id', IDS.crm],
      ['status', '--output', 'xml', '--id', IDS.crm],
      ['status', '--id', IDS.crm, 'pkg'],
    ]) {
      const run = await runCli(args, fake, { client: READER });
      expect(run.code, args.join(' ')).toBe(2);
    }
    expect(fake.requests).toEqual([]);
  });

  it('an annotation with a malformed id is an invalid manifest, not a request', async () => {
    const broken = manifest(IDS.crm, (item) => {
      item.metadata.annotations = { [ADOPT_ANNOTATION]: 'est_short' };
    });
    const run = await runCli(['status', writePackage([broken])], fake, { client: READER });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('adopt-stream-id is "est_short", which has the wrong format');
    expect(fake.apiCalls()).toEqual([]);
  });
});
