/**
 * One row per validation rule, valid and invalid: the whole list of findings (id, severity, path) is compared,
 * so a rule that fires too often, too rarely or at the wrong path fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandStream, readConfig, type Finding } from '../../src/core/index.js';
import { SEED } from '../hostile/arbitraries.js';
import { ACTION_ID, action, deepFreeze, eventbridge, webhook, withAuthorization, type Item } from '../support/streams.js';

type Row = readonly [name: string, item: Item, want: ReadonlyArray<readonly [id: string, severity: string, path?: string]>, config?: Record<string, unknown>];

function findingsOf(item: Item, configSpec: Record<string, unknown> = {}, context = {}): Finding[] {
  const { config, findings } = readConfig({ apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: configSpec });
  expect(findings).toStrictEqual([]);
  return [...expandStream(deepFreeze(item), config, context).findings];
}

const project = (findings: readonly Finding[]) => findings.map((f) => (f.path === undefined ? [f.id, f.severity] : [f.id, f.severity, f.path]));
const wh = (spec: Record<string, unknown>) => webhook('orders', spec);
const eb = (spec: Record<string, unknown>) => eventbridge('tenant', spec);
const ebConfig = (config: Record<string, unknown>) => eb({ eventbridge_configuration: config });
const token = { method: 'bearer', token_secret_ref: { name: 'hook', key: 'token' } };

const rows: Row[] = [
  // destination_type
  ['accepts a valid webhook stream', webhook(), []],
  ['accepts a valid eventbridge stream (waiting for its partner source)', eventbridge(), [['waiting-for-partner-event-source', 'info', 'status.outputs.aws_partner_event_source']]],
  ['requires destination_type', wh({ destination_type: undefined }), [['missing-field', 'error', 'spec.destination_type']]],
  ['rejects destination_type kafka', wh({ destination_type: 'kafka' }), [['invalid-value', 'error', 'spec.destination_type']]],
  // action
  ['accepts a valid action stream', action(), []],
  ['requires action_configuration for action', action('audit', { action_configuration: undefined }), [['destination-configuration-missing', 'error', 'spec.action_configuration']]],
  ['requires action_id', action('audit', { action_configuration: {} }), [['missing-field', 'error', 'spec.action_configuration.action_id']]],
  [
    'rejects an action_id that is not an Action id',
    action('audit', { action_configuration: { action_id: 'welcome-email' } }),
    [['invalid-format', 'error', 'spec.action_configuration.action_id']],
  ],
  [
    'rejects an unknown field of the action block',
    action('audit', { action_configuration: { action_id: ACTION_ID, trigger: 'event-stream' } }),
    [['unknown-field', 'error', 'spec.action_configuration.trigger']],
  ],
  [
    'rejects an action block on a webhook stream',
    wh({ action_configuration: { action_id: ACTION_ID } }),
    [['destination-configuration-conflict', 'error', 'spec.action_configuration']],
  ],
  [
    'rejects a webhook block on an action stream',
    action('audit', { webhook_configuration: { webhook_endpoint: 'https://x.example.com', webhook_authorization: token } }),
    [['destination-configuration-conflict', 'error', 'spec.webhook_configuration']],
  ],
  // subscriptions
  ['requires subscriptions', wh({ subscriptions: undefined }), [['missing-field', 'error', 'spec.subscriptions']]],
  ['rejects empty subscriptions', wh({ subscriptions: [] }), [['too-few-items', 'error', 'spec.subscriptions']]],
  ['rejects a string where subscriptions should be a list', wh({ subscriptions: 'user.created' }), [['wrong-type', 'error', 'spec.subscriptions']]],
  ['rejects an unknown event type', wh({ subscriptions: ['user.created', 'user.blocked'] }), [['unknown-event-type', 'error', 'spec.subscriptions[1]']]],
  [
    'downgrades an unknown event type with eventTypes: warn',
    wh({ subscriptions: ['user.blocked'] }),
    [['unknown-event-type', 'warning', 'spec.subscriptions[0]']],
    { eventTypes: 'warn' },
  ],
  ['rejects a wildcard matching nothing', wh({ subscriptions: ['billing.*'] }), [['wildcard-matches-nothing', 'error', 'spec.subscriptions[0]']]],
  ['accepts wildcards', wh({ subscriptions: ['user.*', 'organization.member.*'] }), []],
  ['warns about a duplicate subscription', wh({ subscriptions: ['user.created', 'user.created'] }), [['duplicate-subscription', 'warning', 'spec.subscriptions[1]']]],
  ['warns about a type a wildcard already covers', wh({ subscriptions: ['user.*', 'user.created'] }), [['duplicate-subscription', 'warning', 'spec.subscriptions[1]']]],
  [
    'rejects an event type with capitals',
    wh({ subscriptions: ['User.Created'] }),
    [
      ['invalid-format', 'error', 'spec.subscriptions[0]'],
      ['unknown-event-type', 'error', 'spec.subscriptions[0]'],
    ],
  ],
  // destination blocks
  [
    'requires eventbridge_configuration for eventbridge',
    eb({ eventbridge_configuration: undefined }),
    [['destination-configuration-missing', 'error', 'spec.eventbridge_configuration']],
  ],
  ['requires webhook_configuration for webhook', wh({ webhook_configuration: undefined }), [['destination-configuration-missing', 'error', 'spec.webhook_configuration']]],
  [
    'rejects a webhook block on an eventbridge stream',
    eb({ webhook_configuration: { webhook_endpoint: 'https://x.example.com', webhook_authorization: token } }),
    [['destination-configuration-conflict', 'error', 'spec.webhook_configuration']],
  ],
  [
    'rejects an eventbridge block on a webhook stream',
    wh({ eventbridge_configuration: { aws_account_id: '123456789012', aws_region: 'us-east-1' } }),
    [['destination-configuration-conflict', 'error', 'spec.eventbridge_configuration']],
  ],
  // eventbridge_configuration
  [
    'rejects an 11-digit aws_account_id',
    ebConfig({ aws_account_id: '12345678901', aws_region: 'us-east-1' }),
    [['invalid-format', 'error', 'spec.eventbridge_configuration.aws_account_id']],
  ],
  [
    'rejects an aws_account_id with a letter',
    ebConfig({ aws_account_id: '12345678901a', aws_region: 'us-east-1' }),
    [['invalid-format', 'error', 'spec.eventbridge_configuration.aws_account_id']],
  ],
  [
    'rejects an aws_account_id written as a YAML number',
    ebConfig({ aws_account_id: 123456789012, aws_region: 'us-east-1' }),
    [['wrong-type', 'error', 'spec.eventbridge_configuration.aws_account_id']],
  ],
  ['requires aws_region', ebConfig({ aws_account_id: '123456789012' }), [['missing-field', 'error', 'spec.eventbridge_configuration.aws_region']]],
  ['rejects an empty aws_region', ebConfig({ aws_account_id: '123456789012', aws_region: '' }), [['invalid-value', 'error', 'spec.eventbridge_configuration.aws_region']]],
  [
    'rejects a region Auth0 does not deliver to',
    ebConfig({ aws_account_id: '123456789012', aws_region: 'cn-north-1' }),
    [['invalid-value', 'error', 'spec.eventbridge_configuration.aws_region']],
  ],
  // webhook_configuration
  ['requires webhook_endpoint', wh({ webhook_configuration: { webhook_authorization: token } }), [['missing-field', 'error', 'spec.webhook_configuration.webhook_endpoint']]],
  ['rejects an http:// endpoint', withAuthorization(token, 'http://hooks.example.com'), [['invalid-format', 'error', 'spec.webhook_configuration.webhook_endpoint']]],
  [
    'rejects an endpoint that is not a URL',
    withAuthorization(token, 'https://exa mple.com/x y'),
    [['webhook-endpoint-invalid', 'error', 'spec.webhook_configuration.webhook_endpoint']],
  ],
  [
    'rejects credentials in the endpoint',
    withAuthorization(token, 'https://user:pw@hooks.example.com'),
    [['webhook-endpoint-credentials', 'error', 'spec.webhook_configuration.webhook_endpoint']],
  ],
  [
    'warns about a secret in the query',
    withAuthorization(token, 'https://hooks.example.com/?api_key=1'),
    [['webhook-endpoint-secret-query', 'warning', 'spec.webhook_configuration.webhook_endpoint']],
  ],
  [
    'rejects a secret in the query with inlineCredentials: deny',
    withAuthorization(token, 'https://hooks.example.com/?Sig=1'),
    [['webhook-endpoint-secret-query', 'error', 'spec.webhook_configuration.webhook_endpoint']],
    { inlineCredentials: 'deny' },
  ],
  ['accepts a signed URL with inlineCredentials: allow', withAuthorization(token, 'https://hooks.example.com/?sv=1&sig=abc'), [], { inlineCredentials: 'allow' }],
  ['accepts query parameters that only contain a secret-like word', withAuthorization(token, 'https://hooks.example.com/?design=1&signal=2&keyword=3&author=4&monkey=5'), []],
  ['accepts an ordinary query parameter', withAuthorization(token, 'https://hooks.example.com/?tenant=acme'), []],
  [
    'requires webhook_authorization',
    wh({ webhook_configuration: { webhook_endpoint: 'https://hooks.example.com' } }),
    [['missing-field', 'error', 'spec.webhook_configuration.webhook_authorization']],
  ],
  ['requires a method', withAuthorization({ token: 'x' }), [['missing-field', 'error', 'spec.webhook_configuration.webhook_authorization.method']]],
  ['rejects method oauth2', withAuthorization({ method: 'oauth2' }), [['invalid-value', 'error', 'spec.webhook_configuration.webhook_authorization.method']]],
  // bearer
  [
    'requires a token for bearer',
    withAuthorization({ method: 'bearer' }),
    [['webhook_auth_bearer_token_required', 'error', 'spec.webhook_configuration.webhook_authorization.token_secret_ref']],
  ],
  [
    'accepts an inline token with a warning',
    withAuthorization({ method: 'bearer', token: 'abc' }),
    [['inline-credential', 'warning', 'spec.webhook_configuration.webhook_authorization.token']],
  ],
  [
    'rejects an inline token with inlineCredentials: deny',
    withAuthorization({ method: 'bearer', token: 'abc' }),
    [['inline-credential', 'error', 'spec.webhook_configuration.webhook_authorization.token']],
    { inlineCredentials: 'deny' },
  ],
  ['accepts an inline token silently with inlineCredentials: allow', withAuthorization({ method: 'bearer', token: 'abc' }), [], { inlineCredentials: 'allow' }],
  [
    'rejects an empty token',
    withAuthorization({ method: 'bearer', token: '' }),
    [['webhook_auth_bearer_token_required', 'error', 'spec.webhook_configuration.webhook_authorization.token']],
  ],
  [
    'rejects a token both inline and referenced',
    withAuthorization({ method: 'bearer', token: 'abc', token_secret_ref: { name: 'hook', key: 'token' } }),
    [['credential-conflict', 'error', 'spec.webhook_configuration.webhook_authorization.token']],
  ],
  [
    'rejects a malformed secret reference',
    withAuthorization({ method: 'bearer', token_secret_ref: { name: 'Hook!' } }),
    [
      ['missing-field', 'error', 'spec.webhook_configuration.webhook_authorization.token_secret_ref.key'],
      ['invalid-format', 'error', 'spec.webhook_configuration.webhook_authorization.token_secret_ref.name'],
    ],
  ],
  [
    'rejects a secret reference to another namespace',
    withAuthorization({ method: 'bearer', token_secret_ref: { name: 'hook', key: 'token', namespace: 'other' } }),
    [['secret-ref-namespace', 'error', 'spec.webhook_configuration.webhook_authorization.token_secret_ref.namespace']],
  ],
  [
    'warns about a field of another method',
    withAuthorization({ ...token, username: 'u' }),
    [['unused-credential-field', 'warning', 'spec.webhook_configuration.webhook_authorization.username']],
  ],
  // basic
  ['accepts basic with username and password reference', withAuthorization({ method: 'basic', username: 'u', password_secret_ref: { name: 'hook', key: 'pw' } }), []],
  [
    'requires a username for basic',
    withAuthorization({ method: 'basic', password_secret_ref: { name: 'hook', key: 'pw' } }),
    [['webhook_auth_basic_username_required', 'error', 'spec.webhook_configuration.webhook_authorization.username']],
  ],
  [
    'requires a password for basic',
    withAuthorization({ method: 'basic', username: 'u' }),
    [['webhook_auth_basic_password_required', 'error', 'spec.webhook_configuration.webhook_authorization.password_secret_ref']],
  ],
  [
    'rejects a username with a colon',
    withAuthorization({ method: 'basic', username: 'a:b', password_secret_ref: { name: 'hook', key: 'pw' } }),
    [['invalid-format', 'error', 'spec.webhook_configuration.webhook_authorization.username']],
  ],
  [
    'rejects a username over 128 characters',
    withAuthorization({ method: 'basic', username: 'u'.repeat(129), password_secret_ref: { name: 'hook', key: 'pw' } }),
    [['too-long', 'error', 'spec.webhook_configuration.webhook_authorization.username']],
  ],
  // custom_header
  [
    'accepts custom_header with key and value reference',
    withAuthorization({ method: 'custom_header', header_key: 'x-key', header_value_secret_ref: { name: 'hook', key: 'v' } }),
    [],
  ],
  [
    'requires header_key for custom_header',
    withAuthorization({ method: 'custom_header', header_value_secret_ref: { name: 'hook', key: 'v' } }),
    [['webhook-auth-header-key-required', 'error', 'spec.webhook_configuration.webhook_authorization.header_key']],
  ],
  [
    'requires a header value for custom_header',
    withAuthorization({ method: 'custom_header', header_key: 'x-key' }),
    [['webhook-auth-header-value-required', 'error', 'spec.webhook_configuration.webhook_authorization.header_value_secret_ref']],
  ],
  [
    'rejects a header name that is not an HTTP token',
    withAuthorization({ method: 'custom_header', header_key: 'x key', header_value_secret_ref: { name: 'hook', key: 'v' } }),
    [['invalid-format', 'error', 'spec.webhook_configuration.webhook_authorization.header_key']],
  ],
  // adoption
  [
    'adopts the stream the annotation names',
    webhook('orders', {}, { metadata: { name: 'orders', namespace: 'identity', annotations: { 'auth0.openmcf.org/adopt-stream-id': 'est_jmj7QpymGFqmysiCpWAcZe' } } }),
    [['adopting-stream', 'info', 'metadata.annotations["auth0.openmcf.org/adopt-stream-id"]']],
  ],
  [
    'rejects an adoption id that is not a stream id',
    webhook('orders', {}, { metadata: { name: 'orders', namespace: 'identity', annotations: { 'auth0.openmcf.org/adopt-stream-id': 'est_short' } } }),
    [['invalid-format', 'error', 'metadata.annotations.auth0.openmcf.org/adopt-stream-id']],
  ],
  [
    'rejects an adoption of another stream than status.outputs.id',
    webhook(
      'orders',
      {},
      {
        metadata: { name: 'orders', namespace: 'identity', annotations: { 'auth0.openmcf.org/adopt-stream-id': 'est_jmj7QpymGFqmysiCpWAcZe' } },
        status: { outputs: { id: 'est_Other0Stream1Id2abcdefg' } },
      },
    ),
    [['adopt-stream-id-mismatch', 'error', 'metadata.annotations["auth0.openmcf.org/adopt-stream-id"]']],
  ],
  // metadata and shape
  ['requires metadata.name', { ...webhook(), metadata: { namespace: 'identity' } }, [['missing-field', 'error', 'metadata.name']]],
  ['rejects a name over 128 characters', webhook('n'.repeat(129)), [['too-long', 'error', 'metadata.name']]],
  ['rejects an empty name', webhook(''), [['too-short', 'error', 'metadata.name']]],
  [
    'rejects org and env given differently as metadata and as labels',
    webhook('orders', {}, { metadata: { name: 'orders', namespace: 'identity', org: 'acme', labels: { 'auth0.openmcf.org/org': 'other' } } }),
    [['ownership-label-conflict', 'error', 'metadata.labels["auth0.openmcf.org/org"]']],
  ],
  [
    'requires a namespace for a generated credentials Secret with scope: Cluster',
    { ...withAuthorization({ method: 'bearer', token: 'abc' }), metadata: { name: 'orders' } },
    [
      ['namespace-required', 'error', 'metadata.namespace'],
      ['inline-credential', 'warning', 'spec.webhook_configuration.webhook_authorization.token'],
    ],
    { scope: 'Cluster' },
  ],
  ['rejects an unknown spec field', wh({ subscription: ['user.created'] }), [['unknown-field', 'error', 'spec.subscription']]],
  ['rejects spec as a list', { ...webhook(), spec: [] }, [['wrong-type', 'error', 'spec']]],
  ['rejects a null spec', { ...webhook(), spec: null }, [['wrong-type', 'error', 'spec']]],
  ['rejects a webhook block given as a list', wh({ webhook_configuration: [] }), [['wrong-type', 'error', 'spec.webhook_configuration']]],
  ['rejects a number as the endpoint', withAuthorization(token, 42 as unknown as string), [['wrong-type', 'error', 'spec.webhook_configuration.webhook_endpoint']]],
  ['rejects spec.status active', wh({ status: 'active' }), [['invalid-value', 'error', 'spec.status']]],
  // status.outputs
  [
    'rejects status.outputs.status active (OpenMCF docs)',
    webhook('orders', {}, { status: { outputs: { status: 'active' } } }),
    [['invalid-value', 'error', 'status.outputs.status']],
  ],
  ['accepts status.outputs.status disabled', webhook('orders', {}, { status: { outputs: { status: 'disabled' } } }), []],
  [
    'rejects a malformed partner event source',
    eventbridge('tenant', {}, { status: { outputs: { aws_partner_event_source: 'auth0.com/acme/auth0.events' } } }),
    [['partner-event-source-format', 'error', 'status.outputs.aws_partner_event_source']],
  ],
  [
    'rejects the partner event source of an Auth0 log stream',
    eventbridge('tenant', {}, { status: { outputs: { aws_partner_event_source: 'aws.partner/auth0.com/acme-fbedbd06-5747-42cc-afde-016050660582/auth0.logs' } } }),
    [['partner-event-source-format', 'error', 'status.outputs.aws_partner_event_source']],
  ],
  [
    'rejects the partner event source of another partner',
    eventbridge('tenant', {}, { status: { outputs: { aws_partner_event_source: 'aws.partner/example.com/acme/events' } } }),
    [['partner-event-source-format', 'error', 'status.outputs.aws_partner_event_source']],
  ],
  [
    'rejects a partner event source over 256 characters',
    eventbridge('tenant', {}, { status: { outputs: { aws_partner_event_source: `aws.partner/auth0.com/${'a'.repeat(200)}-fbedbd06-5747-42cc-afde-016050660582/auth0.events` } } }),
    [['partner-event-source-format', 'error', 'status.outputs.aws_partner_event_source']],
  ],
  [
    'treats the placeholder partner source "default" as unknown',
    eventbridge('tenant', {}, { status: { outputs: { aws_partner_event_source: 'default' } } }),
    [['waiting-for-partner-event-source', 'info', 'status.outputs.aws_partner_event_source']],
  ],
];

describe('validation rules', () => {
  it.each(rows.map(([name, item, want, config]) => ({ name, item, want, config })))('$name', ({ item, want, config }) => {
    expect(project(findingsOf(item, config))).toStrictEqual(want);
  });
});

describe('spellings', () => {
  it('accepts the protojson camelCase spelling and reports paths as written', () => {
    const camel = {
      ...webhook(),
      spec: {
        destinationType: 'webhook',
        subscriptions: ['user.blocked'],
        webhookConfiguration: { webhookEndpoint: 'http://x.example.com', webhookAuthorization: { method: 'bearer', tokenSecretRef: { name: 'hook', key: 'token' } } },
      },
    };
    expect(project(findingsOf(camel))).toStrictEqual([
      ['unknown-event-type', 'error', 'spec.subscriptions[0]'],
      ['invalid-format', 'error', 'spec.webhookConfiguration.webhookEndpoint'],
    ]);
  });

  it('spells the path of a missing field in the style the user writes', () => {
    const camel = { ...webhook(), spec: { destinationType: 'eventbridge', subscriptions: ['user.created'], eventbridgeConfiguration: { awsRegion: 'us-east-1' } } };
    expect(project(findingsOf(camel))).toStrictEqual([['missing-field', 'error', 'spec.eventbridgeConfiguration.awsAccountId']]);
  });

  it('rejects one field written in both spellings', () => {
    expect(project(findingsOf(wh({ destinationType: 'webhook' })))).toStrictEqual([['mixed-spelling', 'error', 'spec.destinationType']]);
  });

  it('suggests the right spelling for a typo', () => {
    const [finding] = findingsOf(wh({ destination_typ: 'webhook', destination_type: 'webhook' }));
    expect(finding).toMatchObject({ id: 'unknown-field', proposedValue: 'destination_type' });
  });
});

describe('messages', () => {
  it('suggests user.updated for user.blocked and points authentication events at log streams', () => {
    const messages = findingsOf(wh({ subscriptions: ['user.blocked', 'authentication.success'] })).map((f) => f.message);
    expect(messages).toStrictEqual([
      'spec.subscriptions[0]: "user.blocked" is not an Auth0 event type; did you mean "user.updated"? Blocking or unblocking a user is delivered as user.updated.',
      'spec.subscriptions[1]: "authentication.success" is not an Auth0 event type; Authentication, API authorization and management events are log events: use an Auth0 log stream for them.',
    ]);
  });

  it('names a region close to a typo', () => {
    const [finding] = findingsOf(ebConfig({ aws_account_id: '123456789012', aws_region: 'us-east-7' }));
    expect(finding).toMatchObject({ proposedValue: 'us-east-1', currentValue: 'us-east-7' });
  });

  it('never puts an inline secret into a finding', () => {
    const secret = 's3cr3t-value-123';
    const findings = [
      ...findingsOf(withAuthorization({ method: 'bearer', token: secret, username: 'x' })),
      ...findingsOf(withAuthorization({ method: 'basic', username: 'u', password: secret, token: secret })),
      ...findingsOf(withAuthorization({ method: 'custom_header', header_key: 'k', header_value: 42 })),
      ...findingsOf(withAuthorization({ method: 'basic', username: 'u', password: [secret] as unknown })),
    ];
    expect(findings.length).toBeGreaterThan(3);
    expect(JSON.stringify(findings)).not.toContain(secret);
    expect(JSON.stringify(findings)).not.toContain('42');
  });
});

describe('immutability once the stream exists', () => {
  const previous = expandStream(eventbridge(), readConfig(undefined).config).resources[0]!.object;
  const existing = { status: { outputs: { id: 'est_jmj7QpymGFqmysiCpWAcZe' } } };

  it.each([
    ['aws_region', ebConfig({ aws_account_id: '123456789012', aws_region: 'eu-west-1' }), 'spec.eventbridge_configuration.aws_region'],
    ['aws_account_id', ebConfig({ aws_account_id: '210987654321', aws_region: 'us-east-1' }), 'spec.eventbridge_configuration.aws_account_id'],
    ['destination_type', { ...webhook('tenant') }, 'spec.destination_type'],
  ])('rejects a change of %s, saying to delete and recreate', (_field, changed, path) => {
    const findings = findingsOf({ ...changed, ...existing }, {}, { previousWorkspace: previous });
    expect(findings.filter((f) => f.severity === 'error').map((f) => [f.id, f.path])).toStrictEqual([['immutable-field', path]]);
    expect(findings[0]!.message).toContain('Delete the Auth0EventStream and create it again');
  });

  it('finds the same whether the Workspace is read once (KRM) or remembered across calls (Crossplane)', () => {
    const changed = { ...ebConfig({ aws_account_id: '210987654321', aws_region: 'us-east-1' }), ...existing };
    const readOnce = findingsOf(changed, {}, { previousWorkspace: previous });
    expect(project(readOnce)).toStrictEqual([['immutable-field', 'error', 'spec.eventbridge_configuration.aws_account_id']]);
    for (let call = 0; call < 2; call++) expect(findingsOf(changed, {}, { previousWorkspace: previous, workspaceSeenAgain: true })).toStrictEqual(readOnce);
  });

  it('rejects a change of action_id, and of the destination type to action', () => {
    const previousAction = expandStream(action('tenant'), readConfig(undefined).config).resources[0]!.object;
    const moved = findingsOf(
      { ...action('tenant', { action_configuration: { action_id: '00000000-1111-2222-3333-444444444444' } }), ...existing },
      {},
      { previousWorkspace: previousAction },
    );
    expect(project(moved)).toStrictEqual([['immutable-field', 'error', 'spec.action_configuration.action_id']]);
    expect(moved[0]).toMatchObject({ currentValue: '00000000-1111-2222-3333-444444444444', proposedValue: ACTION_ID });
    expect(project(findingsOf({ ...action('tenant'), ...existing }, {}, { previousWorkspace: previous }))).toStrictEqual([['immutable-field', 'error', 'spec.destination_type']]);
  });

  it('allows any change before the stream exists', () => {
    expect(project(findingsOf(ebConfig({ aws_account_id: '123456789012', aws_region: 'eu-west-1' }), {}, { previousWorkspace: previous }))).toStrictEqual([
      ['waiting-for-partner-event-source', 'info', 'status.outputs.aws_partner_event_source'],
    ]);
  });

  it('detects a destination change from status.outputs alone', () => {
    const findings = findingsOf(webhook('tenant', {}, { status: { outputs: { id: 'est_x', destination_type: 'eventbridge' } } }));
    expect(project(findings)).toStrictEqual([['immutable-field', 'error', 'spec.destination_type']]);
  });
});

describe('not an object', () => {
  it.each([[42], ['orders'], [null], [[]]])('rejects %j as a whole', (item) => {
    expect(project(expandStream(item, readConfig(undefined).config).findings)).toStrictEqual([['not-an-object', 'error']]);
  });
});

describe('hostile keys', () => {
  it('drops __proto__ and constructor keys with an error and pollutes nothing', () => {
    const item = JSON.parse(
      '{"apiVersion":"auth0.openmcf.org/v1","kind":"Auth0EventStream","metadata":{"name":"x"},"spec":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"destination_type":"webhook","subscriptions":["user.created"],"webhook_configuration":{"webhook_endpoint":"https://x.example.com","webhook_authorization":{"method":"bearer","token_secret_ref":{"name":"h","key":"t"}}}}}',
    ) as Item;
    expect(project(findingsOf(item))).toStrictEqual([
      ['unsafe-key', 'error', 'spec.__proto__'],
      ['unsafe-key', 'error', 'spec.constructor'],
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('partner event source hints', () => {
  it('says that an auth0.logs source belongs to a log stream, and where to copy the right one from', () => {
    const [finding] = findingsOf(
      eventbridge('tenant', {}, { status: { outputs: { aws_partner_event_source: 'aws.partner/auth0.com/acme-fbedbd06-5747-42cc-afde-016050660582/auth0.logs' } } }),
    );
    expect(finding?.message).toMatch(/log stream; an event stream's ends in \/auth0\.events\. Copy aws_partner_event_source from this stream's Workspace outputs/);
  });
});

describe('webhook endpoint checks', () => {
  // The checks read a URL's user information only when the endpoint has an `@`, and its query parameters only
  // when it has a query: this holds them to the WHATWG parser, which must find none otherwise.
  const piece = fc.constantFrom(
    'https://',
    'http://',
    'HTTPS:\\\\',
    'foo:',
    'u',
    ':',
    '@',
    '%40',
    'example.com',
    '[::1]',
    ':8443',
    '/',
    '\\',
    '?',
    '&',
    '=',
    'api_key',
    '#',
    '%3F',
    ' ',
    '\t',
    '\n',
    'é',
  );
  const endpoint = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));

  it('finds no user information without an @, and no query parameters without a query', () => {
    let parsed = 0;
    fc.assert(
      fc.property(endpoint, (text) => {
        if (!URL.canParse(text)) return;
        parsed++;
        const url = new URL(text);
        if (!text.includes('@')) expect([url.username, url.password]).toStrictEqual(['', '']);
        if (url.search === '') expect([...url.searchParams.keys()]).toStrictEqual([]);
      }),
      { seed: SEED, numRuns: 5000 },
    );
    expect(parsed).toBeGreaterThan(500);
  });
});
