/**
 * The pieces of the tenant commands that need no server: credentials, file and Secret names, the manifest an
 * Auth0 stream becomes (and that the function reads back as the same stream), drift, and what gets printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADOPT_ANNOTATION, expandStream, readConfig } from '../../src/core/index.js';
import { parseYaml, stringifyYaml } from '../../src/krm/yaml.js';
import { parseTime } from '../../src/tenant/args.js';
import { normalizeDomain, readCredentials } from '../../src/tenant/credentials.js';
import { compareShapes, desiredShape, liveShape } from '../../src/tenant/desired.js';
import { type TenantError } from '../../src/tenant/errors.js';
import { manifestFileName, streamManifest, webhookSecretName } from '../../src/tenant/manifest.js';
import { parseStream, type LiveStream } from '../../src/tenant/model.js';
import { printable, Redactor, REDACTED } from '../../src/tenant/output.js';
import { IDS, STREAMS } from '../support/auth0-fixtures.js';
import { stream, webhookSpec } from '../support/krm.js';
import { accountId, eventType, region, SEED } from '../hostile/arbitraries.js';

const { config } = readConfig(undefined);

describe('credentials', () => {
  it('takes the domain and client id from flags over the environment, the secret only from the environment', () => {
    const env = { AUTH0_DOMAIN: 'env.auth0.com', AUTH0_CLIENT_ID: 'env-id', AUTH0_CLIENT_SECRET: 'env-secret' };
    expect(readCredentials({}, env)).toEqual({ domain: 'env.auth0.com', clientId: 'env-id', clientSecret: 'env-secret' });
    expect(readCredentials({ domain: 'flag.auth0.com', clientId: 'flag-id' }, env)).toEqual({ domain: 'flag.auth0.com', clientId: 'flag-id', clientSecret: 'env-secret' });
  });

  it('names every missing variable, and never the secret', () => {
    const error = (() => {
      try {
        readCredentials({}, { AUTH0_CLIENT_ID: 'x' });
      } catch (caught) {
        return caught as TenantError;
      }
      throw new Error('no error');
    })();
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(/set AUTH0_DOMAIN \(or --domain\), AUTH0_CLIENT_SECRET\./);
  });

  it.each([
    ['acme.eu.auth0.com', 'acme.eu.auth0.com'],
    ['https://Acme.EU.auth0.com/', 'acme.eu.auth0.com'],
    ['127.0.0.1:8443', '127.0.0.1:8443'],
    ['login.example.com', 'login.example.com'],
    ['[::1]:8443', '[::1]:8443'],
  ])('accepts the domain %s as %s', (raw, domain) => {
    expect(normalizeDomain(raw)).toBe(domain);
  });

  it.each(['http://acme.auth0.com', 'acme.auth0.com/api/v2', 'user@acme.auth0.com', 'acme.auth0.com:99999', 'acme auth0', ''])('refuses the domain %j', (raw) => {
    expect(() => normalizeDomain(raw)).toThrow(/is not a host name/);
  });
});

describe('file and Secret names', () => {
  it('keeps clean names as they are, and hashes any other', () => {
    expect(manifestFileName('crm-user-sync')).toBe('crm-user-sync.yaml');
    expect(manifestFileName('Orders')).toMatch(/^orders-[0-9a-f]{8}\.yaml$/);
    expect(manifestFileName('../../etc/passwd')).toMatch(/^etc-passwd-[0-9a-f]{8}\.yaml$/);
    expect(manifestFileName('con')).toMatch(/^con-[0-9a-f]{8}\.yaml$/);
    expect(manifestFileName('***')).toMatch(/^stream-[0-9a-f]{8}\.yaml$/);
    expect(webhookSecretName('crm-user-sync')).toBe('crm-user-sync-webhook-auth');
  });

  it('property: any stream name gives a file name that stays in its directory, is the same on every file system, and is its own', () => {
    const anyName = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 128 });
    fc.assert(
      fc.property(fc.uniqueArray(anyName, { minLength: 2, maxLength: 8 }), (names) => {
        const files = names.map(manifestFileName);
        for (const file of files) {
          expect(file).toMatch(/^[a-z0-9][a-z0-9-]*\.yaml$/);
          expect(file.length).toBeLessThanOrEqual(100);
          expect(file).not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])\.yaml$/);
        }
        // Distinct names, distinct files, also where a file system ignores case.
        expect(new Set(files.map((file) => file.toLowerCase())).size).toBe(names.length);
        for (const name of names) expect(webhookSecretName(name)).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('the manifest of a live stream', () => {
  const lives = STREAMS.map((api) => parseStream(api, 'fixture'));

  it.each(lives.filter((live) => live.destination.type !== 'other').map((live) => [live.name, live] as const))(
    '%s: passes the function, and its Workspace module recreates the same stream',
    (_name, live) => {
      const made = streamManifest(live);
      if (!made.ok) throw new Error(made.reason);
      expect(made.manifest.metadata.annotations?.[ADOPT_ANNOTATION]).toBe(live.id);
      const reread = parseYaml(stringifyYaml(made.manifest));
      const desired = desiredShape(reread, config);
      if (!desired.ok) throw new Error(desired.findings.map((finding) => finding.message).join('\n'));
      expect(desired.shape).toEqual(liveShape(live));
      expect(compareShapes(desired.shape, liveShape(live))).toEqual([]);
    },
  );

  it('skips a stream no Auth0EventStream can describe, saying why', () => {
    const future = lives.find((live) => live.destination.type === 'other')!;
    expect(streamManifest(future)).toEqual({ ok: false, reason: 'its destination type "kafka" cannot be described by an Auth0EventStream (eventbridge, webhook or action)' });
  });

  it('property: any stream Auth0 can hold comes back through YAML and the function as the same stream', () => {
    const webhook = fc.record({
      type: fc.constant('webhook' as const),
      endpoint: fc.webUrl({ validSchemes: ['https'], withQueryParameters: false, withFragments: false }).filter((url) => !url.includes('@')),
      auth: fc.oneof(
        fc.constant({ method: 'bearer' }),
        fc.stringMatching(/^[^:\u0000-\u001f]{1,40}$/).map((username) => ({ method: 'basic', username })),
        fc.stringMatching(/^[a-zA-Z0-9!#$%&'*+.^_`|~-]{1,40}$/).map((key) => ({ method: 'custom_header', header_key: key })),
      ),
    });
    const eventbridge = fc.record({ type: fc.constant('eventbridge' as const), account: accountId, region, source: fc.option(fc.uuid(), { nil: undefined }) });
    const action = fc.record({ type: fc.constant('action' as const), id: fc.uuid() });
    const live = fc
      .record({
        // Names Terraform would store changed (not NFC) cannot be adopted unchanged; the function refuses them (unicode-not-nfc).
        name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((name) => [...name].length <= 128 && name.normalize('NFC') === name),
        status: fc.constantFrom('enabled', 'disabled'),
        subscriptions: fc.uniqueArray(eventType, { minLength: 1, maxLength: 6 }),
        destination: fc.oneof(webhook, eventbridge, action),
      })
      .map(({ name, status, subscriptions, destination }) =>
        parseStream(
          {
            id: 'est_Crm7Hook2Bearer9User4x',
            name,
            status,
            subscriptions: subscriptions.map((event_type) => ({ event_type })),
            destination:
              destination.type === 'webhook'
                ? { type: 'webhook', configuration: { webhook_endpoint: destination.endpoint, webhook_authorization: destination.auth } }
                : destination.type === 'action'
                  ? { type: 'action', configuration: { action_id: destination.id } }
                  : {
                      type: 'eventbridge',
                      configuration: {
                        aws_account_id: destination.account,
                        aws_region: destination.region,
                        ...(destination.source ? { aws_partner_event_source: `aws.partner/auth0.com/acme-${destination.source}/auth0.events` } : {}),
                      },
                    },
            created_at: '2026-01-16T08:50:33.955Z',
          },
          'property',
        ),
      );
    fc.assert(
      fc.property(live, (stream: LiveStream) => {
        const made = streamManifest(stream, { namespace: 'identity' });
        if (!made.ok) throw new Error(made.reason);
        const desired = desiredShape(parseYaml(stringifyYaml(made.manifest)), config);
        if (!desired.ok) throw new Error(`${JSON.stringify(stream)}: ${desired.findings.map((finding) => finding.message).join('\n')}`);
        expect(desired.shape).toEqual(liveShape(stream));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('the adoption annotation must hold an event stream id', () => {
    const good = expandStream(stream('crm', { annotations: { [ADOPT_ANNOTATION]: 'est_Crm7Hook2Bearer9User4x' } }), config);
    expect(good.ok).toBe(true);
    const bad = expandStream(stream('crm', { annotations: { [ADOPT_ANNOTATION]: 'est_123' } }), config);
    expect(bad.ok).toBe(false);
    expect(bad.findings[0]?.message).toMatch(/adopt-stream-id is "est_123", which has the wrong format\. An Auth0 event stream id is est_ followed by 22 letters and digits/);
  });
});

describe('drift', () => {
  const live = parseStream(STREAMS[0], 'fixture');

  it('compares an action stream by its Action', () => {
    const enrich = parseStream(
      STREAMS.find((candidate) => candidate.id === IDS.action),
      'fixture',
    );
    const other = '00000000-1111-2222-3333-444444444444';
    const manifest = stream('enrich-profile', { spec: { destination_type: 'action', subscriptions: ['user.created'], action_configuration: { action_id: other } } });
    const desired = desiredShape(manifest, readConfig(undefined).config);
    if (!desired.ok) throw new Error(JSON.stringify(desired.findings));
    expect(compareShapes(desired.shape, liveShape(enrich))).toEqual([{ field: 'action_id', manifest: other, auth0: '6018e89f-245f-4da3-ac9f-e22fc6d8b0d1' }]);
  });

  it('compares after the core normalization: wildcards expanded, duplicates and order ignored', () => {
    const manifest = stream('crm-user-sync', {
      spec: {
        ...webhookSpec(['user.*', 'user.created']),
        webhook_configuration: {
          webhook_endpoint: 'https://crm.example.com/hooks/auth0',
          webhook_authorization: { method: 'bearer', token_secret_ref: { name: 's', key: 'token' } },
        },
      },
    });
    const desired = desiredShape(manifest, config);
    if (!desired.ok) throw new Error('invalid');
    expect(compareShapes(desired.shape, liveShape(live))).toEqual([]);
  });

  it('reports subscriptions and destination changed outside the package, and status only when the manifest manages it', () => {
    const manifest = stream('crm-user-sync', {
      spec: {
        destination_type: 'webhook',
        status: 'enabled',
        subscriptions: ['user.created'],
        webhook_configuration: { webhook_endpoint: 'https://crm.example.com/v2', webhook_authorization: { method: 'bearer', token_secret_ref: { name: 's', key: 'token' } } },
      },
    });
    const desired = desiredShape(manifest, config);
    if (!desired.ok) throw new Error('invalid');
    expect(compareShapes(desired.shape, liveShape({ ...live, status: 'disabled' }))).toEqual([
      { field: 'status', manifest: 'enabled', auth0: 'disabled' },
      { field: 'subscriptions', manifest: ['user.created'], auth0: ['user.created', 'user.deleted', 'user.updated'] },
      { field: 'webhook_endpoint', manifest: 'https://crm.example.com/v2', auth0: 'https://crm.example.com/hooks/auth0' },
    ]);
    const unmanaged = desiredShape(stream('crm-user-sync', { spec: webhookSpec(['user.created', 'user.updated', 'user.deleted']) }), config);
    if (!unmanaged.ok) throw new Error('invalid');
    expect(compareShapes(unmanaged.shape, liveShape({ ...live, status: 'disabled' })).map((drift) => drift.field)).toEqual(['webhook_endpoint']);
  });
});

describe('what gets printed', () => {
  it('property: printable text holds no control character, escape sequence or bidirectional override', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(printable(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    expect(printable('evil\u001b[2Jname\nnext')).toBe('evil\\u001b[2Jname\\u000anext');
  });

  it('property: the redactor removes a secret in every form it may take (raw, JSON, URL-encoded)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 8, maxLength: 40 }), fc.string({ maxLength: 20 }), (secret, around) => {
        const redactor = new Redactor();
        redactor.add(secret);
        for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
          const out = redactor.redact(`${around}${form}${around}`);
          expect(out).toContain(REDACTED);
          expect(out.includes(secret)).toBe(false);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('reads windows as durations or RFC 3339 times, in whole seconds', () => {
    const now = new Date('2026-03-01T10:00:00.750Z');
    expect(parseTime('24h', '--since', now).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(parseTime('30m', '--since', now).toISOString()).toBe('2026-03-01T09:30:00.000Z');
    expect(parseTime('2026-02-01T00:00:00.5+01:00', '--since', now).toISOString()).toBe('2026-01-31T23:00:00.000Z');
    expect(() => parseTime('yesterday', '--since', now)).toThrow(/--since takes a duration such as 30m, 24h or 7d/);
    // Further back than a Date can count is bad usage, not an answer from Auth0 "this tool does not understand".
    for (const raw of ['999999999999d', '99999999999999999999999s', '+275760-09-13T00:00:00Z']) expect(() => parseTime(raw, '--since', now)).toThrow(/--since takes a duration/);
  });
});
