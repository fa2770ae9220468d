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
    const { config, findings } = readConfig(typed({ routes: [{ name: 'orgs', eventTypes: ['organization.member.*'], streams: ['a'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }] }));
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
    ['a non-boolean writeDefaults', configMap({ writeDefaults: 'maybe' }), [['wrong-type', 'error', 'data.writeDefaults']]],
    ['an unknown typed field', typed({ scopes: 'Cluster' }), [['unknown-field', 'error', 'spec.scopes']]],
    [
      'duplicate route names',
      typed({ routes: [1, 2].map(() => ({ name: 'r', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] })) }),
      [['duplicate-route', 'error', 'spec.routes[1].name']],
    ],
    ['a route event type that does not exist', typed({ routes: [{ name: 'r', eventTypes: ['user.login'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }] }), [['unknown-event-type', 'error', 'spec.routes[0].eventTypes[0]']]],
    ['a target that is not an ARN', typed({ routes: [{ name: 'r', eventTypes: ['user.created'], targets: [{ arn: 'my-queue' }] }] }), [['invalid-format', 'error', 'spec.routes[0].targets[0].arn']]],
    ['six targets on one route', typed({ routes: [{ name: 'r', eventTypes: ['user.created'], targets: Array(6).fill({ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }) }] }), [['too-many-items', 'error', 'spec.routes[0].targets']]],
    ['a retry policy out of range', typed({ routes: [{ name: 'r', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q', retryPolicy: { maximumRetryAttempts: 500 } }] }] }), [['out-of-range', 'error', 'spec.routes[0].targets[0].retryPolicy.maximumRetryAttempts']]],
  ])('%s', (_name, raw, want) => {
    expect(project(raw)).toStrictEqual(want);
  });

  it('falls back to the defaults when the config is broken, so callers can still report', () => {
    expect(readConfig(typed({ scope: 'Galaxy' })).config).toStrictEqual(defaults);
  });
});
