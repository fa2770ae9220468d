/** Every resource the core generates, in both scopes, validated against the real provider CRDs in ../shared/crds. */
import { describe, expect, it } from 'vitest';
import { expandStream, readConfig, type KubeObject } from '../../src/core/index.js';
import { crdErrors, crdScope, sharedCrdsAvailable } from '../support/openapi.js';

const available = sharedCrdsAvailable();
const partnerSource = 'aws.partner/auth0.com/acme-fbedbd06-5747-42cc-afde-016050660582/auth0.events';

const streams: Record<string, Record<string, unknown>> = {
  'webhook, inline bearer token': {
    destination_type: 'webhook',
    subscriptions: ['user.*'],
    webhook_configuration: { webhook_endpoint: 'https://hooks.example.com/a', webhook_authorization: { method: 'bearer', token: 'inline-token' } },
  },
  'webhook, basic with a password reference': {
    destination_type: 'webhook',
    subscriptions: ['organization.member.added'],
    webhook_configuration: {
      webhook_endpoint: 'https://hooks.example.com/b',
      webhook_authorization: { method: 'basic', username: 'auth0', password_secret_ref: { name: 'hook', key: 'password' } },
    },
  },
  'webhook, custom header, disabled': {
    destination_type: 'webhook',
    status: 'disabled',
    subscriptions: ['group.created'],
    webhook_configuration: {
      webhook_endpoint: 'https://hooks.example.com/c',
      webhook_authorization: { method: 'custom_header', header_key: 'x-key', header_value_secret_ref: { name: 'hook', key: 'value' } },
    },
  },
  'eventbridge with its partner event source and routes': {
    destination_type: 'eventbridge',
    subscriptions: ['*'],
    eventbridge_configuration: { aws_account_id: '123456789012', aws_region: 'eu-west-1' },
  },
};

const routes = [
  {
    name: 'users',
    description: 'users',
    eventTypes: ['user.*'],
    targets: [
      { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:f' },
      {
        arn: 'arn:aws:sqs:eu-west-1:123456789012:q',
        roleArn: 'arn:aws:iam::123456789012:role/events',
        deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq',
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
      },
    ],
  },
];

function generate(scope: 'Namespaced' | 'Cluster'): Array<[string, KubeObject]> {
  const { config, findings } = readConfig({ apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: { scope, routes } });
  expect(findings).toStrictEqual([]);
  const out: Array<[string, KubeObject]> = [];
  for (const [name, spec] of Object.entries(streams)) {
    const item = {
      apiVersion: 'auth0.openmcf.org/v1',
      kind: 'Auth0EventStream',
      metadata: { name: `s-${out.length}`, namespace: 'identity', org: 'acme', env: 'prod' },
      spec,
      ...(spec['destination_type'] === 'eventbridge' ? { status: { outputs: { id: 'est_jmj7QpymGFqmysiCpWAcZe', aws_partner_event_source: partnerSource } } } : {}),
    };
    const expansion = expandStream(item, config);
    expect(expansion.ok, JSON.stringify(expansion.findings)).toBe(true);
    for (const resource of expansion.resources) out.push([`${name} → ${resource.role}`, resource.object]);
  }
  return out;
}

describe.skipIf(!available).each(['Namespaced', 'Cluster'] as const)('scope %s', (scope) => {
  const resources = generate(scope);

  it('generates every kind', () => {
    expect([...new Set(resources.map(([, object]) => `${object.apiVersion}/${object.kind}`))].sort()).toStrictEqual(
      scope === 'Namespaced'
        ? [
            'cloudwatchevents.aws.m.upbound.io/v1beta1/Bus',
            'cloudwatchevents.aws.m.upbound.io/v1beta1/Rule',
            'cloudwatchevents.aws.m.upbound.io/v1beta1/Target',
            'lambda.aws.m.upbound.io/v1beta1/Permission',
            'tf.m.upbound.io/v1beta1/Workspace',
            'v1/Secret',
          ]
        : [
            'cloudwatchevents.aws.upbound.io/v1beta1/Bus',
            'cloudwatchevents.aws.upbound.io/v1beta1/Rule',
            'cloudwatchevents.aws.upbound.io/v1beta2/Target',
            'lambda.aws.upbound.io/v1beta1/Permission',
            'tf.upbound.io/v1beta1/Workspace',
            'v1/Secret',
          ],
    );
  });

  it.each(resources.filter(([, object]) => object.kind !== 'Secret'))('%s is valid against its CRD', (_name, object) => {
    expect(crdErrors(object)).toStrictEqual([]);
    expect(object.metadata.name, 'generated names are DNS labels (also valid AWS rule names)').toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    const namespaced = crdScope(object.apiVersion, object.kind) === 'Namespaced';
    expect(object.metadata.namespace !== undefined, 'namespace set exactly for namespaced kinds').toBe(namespaced);
    if (object.kind === 'Target') {
      // The Target CRD's CEL rule: forProvider.arn is required unless management policies exclude Create/Update.
      expect((object['spec'] as { forProvider: { arn?: string } }).forProvider.arn).toMatch(/^arn:aws:/);
    }
    if (object.kind === 'Permission') {
      // The Permission CRD's CEL rules: forProvider.action and forProvider.principal are required.
      const forProvider = (object['spec'] as { forProvider: Record<string, string> }).forProvider;
      expect([forProvider['action'], forProvider['principal']]).toStrictEqual(['lambda:InvokeFunction', 'events.amazonaws.com']);
      expect(forProvider['statementId']).toMatch(/^[A-Za-z0-9_-]{1,100}$/);
      expect(forProvider['sourceArn']).toMatch(/^arn:aws:events:eu-west-1:123456789012:rule\/aws\.partner\/auth0\.com\/.+\/auth0\.events\/[a-z0-9-]+$/);
    }
  });

  it.each(resources.filter(([, object]) => object.kind === 'Secret'))('%s is a valid Opaque Secret with string data', (_name, object) => {
    expect(Object.keys(object).sort()).toStrictEqual(['apiVersion', 'kind', 'metadata', 'stringData', 'type']);
    expect(object['type']).toBe('Opaque');
    expect(Object.values(object['stringData'] as object).every((value) => typeof value === 'string')).toBe(true);
    expect(object.metadata.namespace).toBe('identity');
  });
});

describe.skipIf(!available)('the CRD check itself', () => {
  it('catches an unknown field, a missing required field and a wrong type', () => {
    const bus = {
      apiVersion: 'cloudwatchevents.aws.m.upbound.io/v1beta1',
      kind: 'Bus',
      metadata: { name: 'b', namespace: 'n' },
      spec: { forProvider: { eventSourceName: 1, bogus: true } },
    };
    const errors = crdErrors(bus).join('\n');
    expect(errors).toContain('must NOT have additional properties');
    expect(errors).toContain("must have required property 'region'");
    expect(errors).toContain('must be string');
  });
});
