/**
 * Generated roles and names never collide: a route whose resources would take the role or the name of another
 * generated resource is a configuration error naming both, and what a valid configuration generates has
 * unique roles and unique identities — whatever the route and stream names.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expandStream, readConfig, type ExpansionConfig, type GeneratedResource } from '../../src/core/index.js';
import { SEED } from '../hostile/arbitraries.js';
import { recordCount } from '../hostile/summary.js';
import { eventbridge } from '../support/streams.js';

const partnerSource = 'aws.partner/auth0.com/acme-fbedbd06-5747-42cc-afde-016050660582/auth0.events';
const typed = (spec: unknown) => ({ apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', metadata: { name: 'c' }, spec });
const sqs = { arn: 'arn:aws:sqs:us-east-1:123456789012:q' };
const lambda = { arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' };
const route = (name: string, targets: readonly object[] = [sqs]) => ({ name, eventTypes: ['user.created'], targets });
const created = (name = 'tenant') => eventbridge(name, {}, { status: { outputs: { id: 'est_1', aws_partner_event_source: partnerSource } } });

function errors(raw: unknown): Array<[string, string | undefined, string]> {
  return readConfig(raw)
    .findings.filter((finding) => finding.severity === 'error')
    .map((finding) => [finding.id, finding.path, finding.message]);
}

describe('route names that would clash', () => {
  it("a route named events would take the name of the stream's own Rule", () => {
    expect(errors(typed({ routes: [route('events')] }))).toStrictEqual([
      [
        'generated-name-clash',
        'spec.routes[0].name',
        'spec.routes[0].name: the Rule of route "events" would get the name <stream>-events, which the stream\'s own Rule already has; rename the route.',
      ],
    ]);
  });

  it('routes a and a-target-0 would give two resources one composition resource name, in either order', () => {
    expect(errors(typed({ routes: [route('a'), route('a-target-0')] }))).toStrictEqual([
      [
        'generated-name-clash',
        'spec.routes[1].name',
        'spec.routes[1].name: the Rule of route "a-target-0" would get the composition resource name "route-a-target-0", which target 0 of route "a" already has; rename the route.',
      ],
    ]);
    expect(errors(typed({ routes: [route('a-target-0'), route('a')] }))).toStrictEqual([
      [
        'generated-name-clash',
        'spec.routes[1].name',
        'spec.routes[1].name: target 0 of route "a" would get the composition resource name "route-a-target-0", which the Rule of route "a-target-0" already has; rename the route.',
      ],
    ]);
  });

  it('the core refuses an expansion whose resources would share a role or a name, naming both, even without readConfig', () => {
    const config: ExpansionConfig = { ...readConfig(undefined).config, routes: [route('events') as ExpansionConfig['routes'][number]] };
    const expansion = expandStream(created(), config);
    expect({ ok: expansion.ok, resources: expansion.resources, errors: expansion.findings.filter((f) => f.severity === 'error').map((f) => [f.id, f.message]) }).toStrictEqual({
      ok: false,
      resources: [],
      errors: [
        [
          'generated-name-clash',
          'Rule "tenant-events" (rule) and Rule "tenant-events" (route-events) would share one name; nothing is generated for this stream. Rename the route (or the stream).',
        ],
      ],
    });
  });
});

describe('Lambda targets', () => {
  it('get a Permission for EventBridge, with its own statement id and the Rule as source, under the role permission-<route>-<i>', () => {
    const { config } = readConfig(typed({ routes: [route('users', [sqs, { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome:live' }])] }));
    const expansion = expandStream(created(), config);
    const permission = expansion.resources.find((resource) => resource.role === 'permission-users-1');
    expect(expansion.resources.map((resource) => resource.role)).toStrictEqual([
      'workspace',
      'bus',
      'rule',
      'route-users',
      'route-users-target-0',
      'route-users-target-1',
      'permission-users-1',
    ]);
    expect(permission?.object).toStrictEqual({
      apiVersion: 'lambda.aws.m.upbound.io/v1beta1',
      kind: 'Permission',
      metadata: expect.objectContaining({ name: 'tenant-users-1', namespace: 'identity' }),
      spec: {
        providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
        forProvider: {
          region: 'eu-west-1',
          action: 'lambda:InvokeFunction',
          functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome',
          qualifier: 'live',
          principal: 'events.amazonaws.com',
          sourceArn: `arn:aws:events:us-east-1:123456789012:rule/${partnerSource}/tenant-users`,
          statementId: expect.stringMatching(/^tenant-users-1-[0-9a-f]{8}$/),
        },
      },
    });
  });

  it('reads the function and its version or alias from every form of Lambda ARN, and no other ARN as a function', () => {
    const base = 'arn:aws:lambda:eu-west-1:123456789012:function:welcome';
    const cases: Array<[string, Record<string, string> | undefined]> = [
      [base, { functionName: base }],
      [`${base}:7`, { functionName: base, qualifier: '7' }],
      [`${base}:live`, { functionName: base, qualifier: 'live' }],
      [`${base}:`, { functionName: base }],
      ['arn:aws:lambda:eu-west-1:123456789012:layer:welcome:1', undefined],
      ['arn:aws:lambda:eu-west-1:123456789012:function:', undefined],
      ['arn:aws:lambda:eu-west-1:123456789012:function:welcome:live:extra', undefined],
      ['arn:aws:sqs:eu-west-1:123456789012:welcome', undefined],
    ];
    for (const [arn, expected] of cases) {
      const { config } = readConfig(typed({ routes: [route('users', [{ arn }])] }));
      const permission = expandStream(created(), config).resources.find((resource) => resource.role === 'permission-users-0');
      const forProvider = (permission?.object.spec as { forProvider?: Record<string, unknown> } | undefined)?.forProvider;
      expect([
        arn,
        forProvider === undefined ? undefined : { functionName: forProvider['functionName'], ...('qualifier' in forProvider ? { qualifier: forProvider['qualifier'] } : {}) },
      ]).toStrictEqual([arn, expected]);
    }
  });

  it('SQS and SNS targets and dead-letter queues get the policy statement to add, in an info result', () => {
    const { config } = readConfig(
      typed({ routes: [route('users', [{ ...sqs, deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' }, { arn: 'arn:aws:sns:us-east-1:123456789012:t' }, lambda])] }),
    );
    const infos = expandStream(created(), config).findings.filter((finding) => finding.id === 'target-policy-statement');
    const statements = infos.map((finding) => JSON.parse(finding.message.slice(finding.message.indexOf('{'))) as Record<string, unknown>);
    expect(statements.map(({ Sid, ...rest }) => [typeof Sid === 'string' && /^[A-Za-z0-9]+$/.test(Sid), rest])).toStrictEqual(
      [
        ['sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:q'],
        ['sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:dlq'],
        ['sns:Publish', 'arn:aws:sns:us-east-1:123456789012:t'],
      ].map(([action, resource]) => [
        true,
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: action,
          Resource: resource,
          Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:123456789012:rule/${partnerSource}/tenant-users` } },
        },
      ]),
    );
  });

  it('uses the partition of the region in the Rule ARN', () => {
    const { config } = readConfig(typed({ routes: [route('users', [{ arn: 'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f' }])] }));
    const stream = eventbridge(
      'tenant',
      { eventbridge_configuration: { aws_account_id: '123456789012', aws_region: 'us-gov-west-1' } },
      { status: { outputs: { aws_partner_event_source: partnerSource } } },
    );
    const permission = expandStream(stream, config).resources.find((resource) => resource.object.kind === 'Permission');
    expect((permission?.object['spec'] as { forProvider: { sourceArn: string } }).forProvider.sourceArn).toBe(
      `arn:aws-us-gov:events:us-gov-west-1:123456789012:rule/${partnerSource}/tenant-users`,
    );
  });
});

describe('property: arbitrary route and stream names', () => {
  let runs = 0;
  let clashes = 0;
  afterAll(() => recordCount('property cases: generated roles and names', runs));

  const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const routeName = fc
    .oneof(
      fc
        .array(fc.oneof(segment, fc.constantFrom('target', 'events', 'permission', 'route', '0', '1', '2', 'partner', 'bus')), { minLength: 1, maxLength: 5 })
        .map((parts) => parts.join('-')),
      fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/),
    )
    .filter((name) => name.length <= 40 && !name.includes('--'));
  const target = fc.constantFrom(sqs, lambda, { arn: 'arn:aws:sns:us-east-1:123456789012:t' });
  const routes = fc.uniqueArray(fc.record({ name: routeName, targets: fc.array(target, { minLength: 1, maxLength: 5 }) }), { selector: (r) => r.name, minLength: 1, maxLength: 6 });
  const streamName = fc.oneof(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/), fc.string({ minLength: 1, maxLength: 128 }));

  it('gives unique roles and identities, or a configuration error naming both resources', () => {
    fc.assert(
      fc.property(routes, streamName, (drawn, name) => {
        runs += 1;
        const reading = readConfig(typed({ routes: drawn.map((r) => route(r.name, r.targets)) }));
        const configErrors = reading.findings.filter((finding) => finding.severity === 'error');
        if (configErrors.length > 0) {
          clashes += 1;
          for (const finding of configErrors) {
            expect(finding.id).toBe('generated-name-clash');
            expect(finding.message).toMatch(/^spec\.routes\[\d+\]\.name: .+ would get .+, which .+ already has; rename the route\.$/);
          }
          return;
        }
        const expansion = expandStream(created(name), reading.config);
        if (!expansion.ok) {
          // Only a clash the names cut to 63 characters made: reported, naming both.
          expect(expansion.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toStrictEqual(['generated-name-clash']);
          return;
        }
        const roles = expansion.resources.map((resource) => resource.role);
        const identities = expansion.resources.map(identity);
        expect(new Set(roles).size).toBe(roles.length);
        expect(new Set(identities).size).toBe(identities.length);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    expect(clashes, 'the names drawn do clash sometimes').toBeGreaterThan(0);
  });
});

function identity(resource: GeneratedResource): string {
  const { apiVersion, kind, metadata } = resource.object;
  return JSON.stringify([apiVersion, kind, metadata.namespace ?? '', metadata.name]);
}
