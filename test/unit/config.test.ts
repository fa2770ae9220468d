/** readConfig: every shape an orchestrator may hand over, and what is wrong with a bad one. */
import { describe, expect, it } from 'vitest';
import { readConfig, type ExpansionConfig } from '../../src/core/index.js';

const defaults: ExpansionConfig = {
  scope: 'Namespaced',
  terraform: { providerConfigRef: { name: 'default', kind: 'ClusterProviderConfig' } },
  aws: { providerConfigRef: { name: 'default', kind: 'ClusterProviderConfig' } },
  eventTypes: 'strict',
  inlineCredentials: 'warn',
  writeDefaults: false,
  markLocalConfig: true,
  routes: [],
};
const typed = (spec: unknown) => ({ apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', metadata: { name: 'c' }, spec });
const configMap = (data: unknown) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data });
const project = (raw: unknown) => readConfig(raw).findings.map((f) => [f.id, f.severity, f.path]);

describe('accepted shapes', () => {
  it.each([
    ['no config', undefined],
    ['null', null],
    ['{} (kpt fn render without config)', {}],
    ["kpt's placeholder ConfigMap with empty data", configMap({})],
    ['a ConfigMap without data', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' } }],
    ['an ExpansionConfig without spec', { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', metadata: { name: 'c' } }],
  ])('%s → every default', (_name, raw) => {
    expect(readConfig(raw)).toStrictEqual({ config: defaults, findings: [] });
  });

  it('reads every ConfigMap key', () => {
    const { config, findings } = readConfig(
      configMap({
        scope: 'Cluster',
        eventTypes: 'warn',
        inlineCredentials: 'deny',
        writeDefaults: 'true',
        webhookCredentials: 'hook',
        terraformProviderConfig: 'tenant',
        terraformProviderConfigKind: 'ProviderConfig',
        awsProviderConfig: 'aws',
        awsProviderConfigKind: 'ProviderConfig',
      }),
    );
    expect(findings).toStrictEqual([]);
    expect(config).toStrictEqual({
      ...defaults,
      scope: 'Cluster',
      eventTypes: 'warn',
      inlineCredentials: 'deny',
      writeDefaults: true,
      webhookCredentials: 'hook',
      terraform: { providerConfigRef: { name: 'tenant', kind: 'ProviderConfig' } },
      aws: { providerConfigRef: { name: 'aws', kind: 'ProviderConfig' } },
    });
  });

  it('reads a typed ExpansionConfig and expands route wildcards', () => {
    const { config, findings } = readConfig(
      typed({ routes: [{ name: 'orgs', eventTypes: ['organization.member.*'], streams: ['a'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }] }),
    );
    expect(findings).toStrictEqual([]);
    expect(config.routes).toStrictEqual([
      {
        name: 'orgs',
        eventTypes: ['organization.member.added', 'organization.member.deleted', 'organization.member.role.assigned', 'organization.member.role.deleted'],
        streams: ['a'],
        targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }],
      },
    ]);
  });
});

describe('rejected configs', () => {
  it.each([
    ['an unknown kind', { apiVersion: 'fn.kpt.dev/v1alpha1', kind: 'SetNamespace' }, [['unsupported-config-kind', 'error', 'kind']]],
    ['a scalar', 'scope=Cluster', [['invalid-config', 'error', undefined]]],
    ['an unknown ConfigMap key', configMap({ region: 'eu' }), [['unknown-field', 'error', 'data.region']]],
    ['routes in a ConfigMap', configMap({ routes: '[]' }), [['unknown-field', 'error', 'data.routes']]],
    ['a bad ConfigMap value, named by its key', configMap({ awsProviderConfigKind: 'Cluster' }), [['invalid-value', 'error', 'data.awsProviderConfigKind']]],
    ['a bad scope', typed({ scope: 'Galaxy' }), [['invalid-value', 'error', 'spec.scope']]],
    ['a non-boolean writeDefaults', configMap({ writeDefaults: 'maybe' }), [['invalid-value', 'error', 'data.writeDefaults']]],
    ['routes beside spec instead of under it', { ...typed({}), routes: [] }, [['unknown-field', 'error', 'routes']]],
    ['a misspelt top-level field', { ...typed({}), sepc: {} }, [['unknown-field', 'error', 'sepc']]],
    ['a setting beside data in a ConfigMap', { ...configMap({}), scope: 'Cluster' }, [['unknown-field', 'error', 'scope']]],
    ['one ConfigMap setting in both spellings', configMap({ eventTypes: 'warn', event_types: 'warn' }), [['mixed-spelling', 'error', 'data.event_types']]],
    ['an unknown typed field', typed({ scopes: 'Cluster' }), [['unknown-field', 'error', 'spec.scopes']]],
    [
      'duplicate route names',
      typed({ routes: [1, 2].map(() => ({ name: 'r', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] })) }),
      [['duplicate-route', 'error', 'spec.routes[1].name']],
    ],
    [
      'a route event type that does not exist',
      typed({ routes: [{ name: 'r', eventTypes: ['user.login'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }] }),
      [['unknown-event-type', 'error', 'spec.routes[0].eventTypes[0]']],
    ],
    [
      'a target that is not an ARN',
      typed({ routes: [{ name: 'r', eventTypes: ['user.created'], targets: [{ arn: 'my-queue' }] }] }),
      [['invalid-format', 'error', 'spec.routes[0].targets[0].arn']],
    ],
    [
      'six targets on one route',
      typed({ routes: [{ name: 'r', eventTypes: ['user.created'], targets: Array(6).fill({ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }) }] }),
      [['too-many-items', 'error', 'spec.routes[0].targets']],
    ],
    [
      'a retry policy out of range',
      typed({ routes: [{ name: 'r', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q', retryPolicy: { maximumRetryAttempts: 500 } }] }] }),
      [['out-of-range', 'error', 'spec.routes[0].targets[0].retryPolicy.maximumRetryAttempts']],
    ],
  ])('%s', (_name, raw, want) => {
    expect(project(raw)).toStrictEqual(want);
  });

  it('falls back to the defaults when the config is broken, so callers can still report', () => {
    expect(readConfig(typed({ scope: 'Galaxy' })).config).toStrictEqual(defaults);
  });

  it('keeps every setting of a broken config that is valid on its own, for validating the streams anyway', () => {
    expect(readConfig(typed({ scope: 'Galaxy', eventTypes: 'warn', inlineCredentials: 'deny' })).config).toStrictEqual({
      ...defaults,
      eventTypes: 'warn',
      inlineCredentials: 'deny',
    });
    expect(readConfig(configMap({ colour: 'red', eventTypes: 'warn' })).config).toStrictEqual({ ...defaults, eventTypes: 'warn' });
  });
});

describe('messages that say how to fix it', () => {
  it('names the right place of a setting written beside spec', () => {
    expect(readConfig({ ...typed({}), routes: [] }).findings).toStrictEqual([
      {
        id: 'unknown-field',
        severity: 'error',
        message: 'routes is not a field of the function configuration; did you mean spec.routes? Settings go under spec.',
        path: 'routes',
        proposedValue: 'spec.routes',
      },
    ]);
  });

  it('says a ConfigMap boolean is the string "true" or "false"', () => {
    expect(readConfig(configMap({ writeDefaults: 'maybe' })).findings.map((finding) => finding.message)).toStrictEqual([
      'data.writeDefaults must be "true" or "false" (ConfigMap values are strings), not "maybe".',
    ]);
  });

  it('suggests the ConfigMap key closest to a typo', () => {
    expect(readConfig(configMap({ eventType: 'warn' })).findings.map((finding) => finding.proposedValue)).toStrictEqual(['eventTypes']);
  });
});

describe('snake_case settings', () => {
  it('reads snake_case keys of a typed ExpansionConfig, as streams allow', () => {
    const { config, findings } = readConfig(
      typed({ event_types: 'warn', inline_credentials: 'allow', write_defaults: true, terraform: { provider_config_ref: { name: 'tenant' } } }),
    );
    expect(findings).toStrictEqual([]);
    expect(config).toStrictEqual({
      ...defaults,
      eventTypes: 'warn',
      inlineCredentials: 'allow',
      writeDefaults: true,
      terraform: { providerConfigRef: { name: 'tenant', kind: 'ClusterProviderConfig' } },
    });
  });

  it('reads snake_case ConfigMap keys, and names them as written in findings', () => {
    expect(readConfig(configMap({ event_types: 'warn', aws_provider_config: 'aws', mark_local_config: 'false' })).config).toStrictEqual({
      ...defaults,
      eventTypes: 'warn',
      markLocalConfig: false,
      aws: { providerConfigRef: { name: 'aws', kind: 'ClusterProviderConfig' } },
    });
    expect(project(configMap({ aws_provider_config_kind: 'Cluster' }))).toStrictEqual([['invalid-value', 'error', 'data.aws_provider_config_kind']]);
  });
});
