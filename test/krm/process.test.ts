/**
 * Upsert, prune and pass-through on packages as kpt and kustomize hand them over, with the real core.
 * The core is the oracle for what a stream generates; these tests check where it lands and what else survives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABELS, MANAGED_BY, WRITTEN_DEFAULTS, expandStream, readConfig } from '../../src/core/index.js';
import { GENERATED_FROM } from '../../src/core/ownership.js';
import type { KubeObject } from '../../src/core/index.js';
import { processResourceList } from '../../src/krm/process.js';
import { runResourceList } from '../../src/krm/run.js';
import {
  KPT_EMPTY_FUNCTION_CONFIG,
  annotate,
  configMap,
  eventbridgeSpec,
  expansionConfig,
  itemsOf,
  kptAnnotations,
  resourceList,
  runOn,
  stream,
  webhookSpec,
} from '../support/krm.js';
import { SEED } from '../hostile/arbitraries.js';

const kptfile: KubeObject = {
  apiVersion: 'kpt.dev/v1',
  kind: 'Kptfile',
  metadata: { name: 'pkg', annotations: { 'config.kubernetes.io/local-config': 'true', ...kptAnnotations('Kptfile', 0, 1) } },
};

/** What the core generates for `item`, as plain objects, in order. */
function generatedFor(item: KubeObject, functionConfig?: unknown): KubeObject[] {
  const expansion = expandStream(item, readConfig(functionConfig).config);
  expect(expansion.ok).toBe(true);
  return expansion.resources.map(({ object }) => object);
}

/** `object` with the annotations a new generated item gets in `path` at `index`. */
function placedAt(object: KubeObject, path: string, index: number): KubeObject {
  return annotate(object, { 'internal.config.kubernetes.io/path': path, 'internal.config.kubernetes.io/index': String(index) });
}

function withSpec(item: KubeObject, spec: Record<string, unknown>): KubeObject {
  return { ...item, spec };
}

const inlineTokenSpec = webhookSpec();
(inlineTokenSpec['webhook_configuration'] as { webhook_authorization: unknown }).webhook_authorization = { method: 'bearer', token: 'inline-token' };

/** Streams as they are after the first run: marked as local configuration. */
const LOCAL = { 'config.kubernetes.io/local-config': 'true' } as const;

describe('processResourceList', () => {
  const orders = stream('orders', { namespace: 'shop', annotations: { ...kptAnnotations('streams/orders.yaml', 0, 2), ...LOCAL } });
  const other = configMap('other', { flag: 'yes' }, kptAnnotations('streams/orders.yaml', 1, 3));

  it('appends what a stream generates after all input items, in a file next to the stream', () => {
    const run = runOn(resourceList([kptfile, orders, other], KPT_EMPTY_FUNCTION_CONFIG));
    expect({ exitCode: run.exitCode, output: run.output }).toStrictEqual({
      exitCode: 0,
      output: {
        apiVersion: 'config.kubernetes.io/v1',
        kind: 'ResourceList',
        items: [kptfile, orders, other, ...generatedFor(orders).map((object, index) => placedAt(object, 'streams/orders.generated.yaml', index))],
        functionConfig: KPT_EMPTY_FUNCTION_CONFIG,
      },
    });
  });

  it('passes the items it does not own through as the very same objects', () => {
    const items = [kptfile, orders, other];
    const outcome = processResourceList({ items });
    expect(outcome.items.slice(0, 3).every((item, index) => item === items[index])).toBe(true);
  });

  it('is idempotent: its own output, run again, comes back byte for byte', () => {
    const eventbridge = stream('billing', {
      spec: eventbridgeSpec(),
      status: { outputs: { id: 'est_1', aws_partner_event_source: 'aws.partner/auth0.com/acme-0b6e6f7e-8a4f-4f36-9d0e-3f1c2b7a9e10/auth0.events' } },
      annotations: kptAnnotations('billing.yaml', 0, 4),
    });
    const config = expansionConfig({ routes: [{ name: 'sync', eventTypes: ['user.*'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:events' }] }] });
    const first = runResourceList(new TextEncoder().encode(runOn(resourceList([kptfile, orders, other, eventbridge], config)).stdout));
    const second = runResourceList(new TextEncoder().encode(first.stdout));
    expect(second).toStrictEqual(first);
  });

  it('replaces a regenerated item in place, keeping only its orchestrator annotations and moving it to the computed file', () => {
    const [workspace] = generatedFor(orders);
    if (workspace === undefined) throw new Error('the core generated nothing');
    const stale = annotate({ ...workspace, spec: { outdated: true } }, { ...kptAnnotations('old/place.yaml', 5, 9), 'note/by-hand': 'lost on regeneration' });
    const items = itemsOf(runOn(resourceList([kptfile, stale, orders])));
    expect(items.slice(0, 3)).toStrictEqual([
      kptfile,
      annotate(workspace, {
        'config.kubernetes.io/index': '0',
        'config.kubernetes.io/path': 'streams/orders.generated.yaml',
        'internal.config.kubernetes.io/index': '0',
        'internal.config.kubernetes.io/path': 'streams/orders.generated.yaml',
        'internal.config.kubernetes.io/seqindent': 'compact',
        'internal.config.kubernetes.io/id': '9',
        'config.k8s.io/id': '9',
      }),
      orders,
    ]);
  });

  it('prunes what a stream no longer generates', () => {
    const inline = withSpec(orders, inlineTokenSpec);
    const before = itemsOf(runOn(resourceList([inline], expansionConfig({ inlineCredentials: 'allow' }))));
    expect(before.map((item) => item.kind)).toStrictEqual(['Auth0EventStream', 'Workspace', 'Secret']);

    const after = itemsOf(runOn(resourceList([orders, ...before.slice(1)])));
    expect(after).toStrictEqual([orders, placedAt(generatedFor(orders)[0] as KubeObject, 'streams/orders.generated.yaml', 0)]);
  });

  it('removes everything generated for a stream that is gone, and nothing else', () => {
    const before = itemsOf(runOn(resourceList([kptfile, orders, other])));
    expect(itemsOf(runOn(resourceList(before.filter((item) => item !== before[1] && item.kind !== 'Auth0EventStream'))))).toStrictEqual([kptfile, other]);
  });

  it('keeps the earlier resources of a stream that now fails validation, untouched, and exits 1', () => {
    const before = itemsOf(runOn(resourceList([orders, other])));
    const broken = withSpec(orders, webhookSpec(['user.created', 'user.blocked']));
    const run = runOn(resourceList([broken, ...before.slice(1)]));
    expect({ exitCode: run.exitCode, items: itemsOf(run), rules: ruleIds(run.output) }).toStrictEqual({
      exitCode: 1,
      items: [broken, ...before.slice(1)],
      rules: ['unknown-event-type'],
    });
  });

  it('tells the core about the Workspace generated earlier, so immutable fields are checked', () => {
    const created = stream('billing', { namespace: 'shop', spec: eventbridgeSpec('111111111111'), status: { outputs: { id: 'est_1' } }, annotations: LOCAL });
    const before = itemsOf(runOn(resourceList([created])));
    const moved = withSpec(created, eventbridgeSpec('222222222222'));
    const run = runOn(resourceList([moved, ...before.slice(1)]));
    const results = run.output['results'] as { field?: unknown; tags?: unknown }[];
    expect({
      exitCode: run.exitCode,
      items: itemsOf(run),
      immutability: results.filter((result) => ruleOf(result) === 'immutable-field').map((result) => result.field),
    }).toStrictEqual({
      exitCode: 1,
      items: [moved, ...before.slice(1)],
      immutability: [{ path: 'spec.eventbridge_configuration.aws_account_id', currentValue: '222222222222', proposedValue: '111111111111' }],
    });
  });

  it('with a broken functionConfig expands nothing and prunes nothing', () => {
    const before = itemsOf(runOn(resourceList([orders])));
    const gone = before.slice(1); // generated for a stream that is not in the input any more
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: { colour: 'red' } };
    const run = runOn(resourceList([other, ...gone], config));
    expect({ exitCode: run.exitCode, items: itemsOf(run), rules: ruleIds(run.output), refs: refsOf(run.output) }).toStrictEqual({
      exitCode: 1,
      items: [other, ...gone],
      rules: ['unknown-field'],
      refs: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'function-input' }],
    });
  });

  it('reports a second stream with the same namespace and name, expanding only the first', () => {
    const copy = stream('orders', { namespace: 'shop', annotations: { ...kptAnnotations('copy.yaml', 0, 5), ...LOCAL } });
    const run = runOn(resourceList([orders, copy]));
    expect({ exitCode: run.exitCode, items: itemsOf(run), results: run.output['results'] }).toStrictEqual({
      exitCode: 1,
      items: [orders, copy, ...generatedFor(orders).map((object, index) => placedAt(object, 'streams/orders.generated.yaml', index))],
      results: [
        {
          message: 'Auth0EventStream shop/orders is defined more than once (first in streams/orders.yaml[0]); only the first one is expanded. Rename or remove this one.',
          severity: 'error',
          resourceRef: { apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', name: 'orders', namespace: 'shop' },
          file: { path: 'copy.yaml', index: 0 },
          tags: { rule: 'duplicate-stream' },
        },
      ],
    });
  });

  it('does not overwrite a resource of the same name that it did not generate', () => {
    const [workspace] = generatedFor(orders);
    if (workspace === undefined) throw new Error('the core generated nothing');
    const handWritten: KubeObject = {
      apiVersion: workspace.apiVersion,
      kind: workspace.kind,
      metadata: { name: workspace.metadata.name, namespace: 'shop', annotations: kptAnnotations('mine.yaml', 0) },
      spec: { mine: true },
    };
    const run = runOn(resourceList([orders, handWritten]));
    expect({ exitCode: run.exitCode, items: itemsOf(run), results: run.output['results'] }).toStrictEqual({
      exitCode: 1,
      items: [
        orders,
        handWritten,
        ...generatedFor(orders)
          .slice(1)
          .map((object, index) => placedAt(object, 'streams/orders.generated.yaml', index)),
      ],
      results: [
        {
          message:
            `Workspace shop/${workspace.metadata.name} (${workspace.apiVersion}) is generated for Auth0EventStream shop/orders, but this resource already exists and was not ` +
            'generated by auth0-eventstream-fn; it is left as is and the generated one is not written. Rename or remove it, or rename the stream.',
          severity: 'error',
          resourceRef: { apiVersion: workspace.apiVersion, kind: 'Workspace', name: workspace.metadata.name, namespace: 'shop' },
          file: { path: 'mine.yaml', index: 0 },
          tags: { rule: 'generated-name-taken' },
        },
      ],
    });
  });

  it('writes defaults back into the stream in place when writeDefaults is set, keeping its annotations and recording what it wrote', () => {
    const config = { ...KPT_EMPTY_FUNCTION_CONFIG, data: { writeDefaults: 'true' } };
    const items = itemsOf(runOn(resourceList([orders, other], config)));
    expect(items.slice(0, 2)).toStrictEqual([annotate({ ...orders, spec: { ...(orders['spec'] as object), status: 'enabled' } }, { [WRITTEN_DEFAULTS]: 'spec.status' }), other]);
  });

  it('deploys the same with writeDefaults as without, on the first run and on every run after', () => {
    const withDefaults = { ...KPT_EMPTY_FUNCTION_CONFIG, data: { writeDefaults: 'true' } };
    const workspaceOf = (items: KubeObject[]) => items.find((item) => item.kind === 'Workspace');
    const plain = itemsOf(runOn(resourceList([orders])));
    const first = itemsOf(runOn(resourceList([orders], withDefaults)));
    const second = itemsOf(runOn(resourceList(first, withDefaults)));
    expect(workspaceOf(first)).toStrictEqual(workspaceOf(plain));
    expect(second).toStrictEqual(first);
    expect(JSON.stringify(workspaceOf(second))).not.toContain('\\"status\\": \\"enabled\\"');
  });

  it('manages a written default once the user changes it, also when it goes back to the default', () => {
    const withDefaults = { ...KPT_EMPTY_FUNCTION_CONFIG, data: { writeDefaults: 'true' } };
    const moduleOf = (items: KubeObject[]) =>
      JSON.parse((items.find((item) => item.kind === 'Workspace')!['spec'] as { forProvider: { module: string } }).forProvider.module) as {
        resource: { auth0_event_stream: { this: { status?: string } } };
      };
    const written = itemsOf(runOn(resourceList([orders], withDefaults)));
    const streamOf = (items: KubeObject[]) => items[0]!;
    const disabled = { ...streamOf(written), spec: { ...(streamOf(written)['spec'] as object), status: 'disabled' } };
    const afterDisable = itemsOf(runOn(resourceList([disabled, ...written.slice(1)], withDefaults)));
    expect(streamOf(afterDisable).metadata.annotations?.[WRITTEN_DEFAULTS]).toBeUndefined();
    expect(moduleOf(afterDisable).resource.auth0_event_stream.this.status).toBe('disabled');
    const enabled = { ...streamOf(afterDisable), spec: { ...(streamOf(afterDisable)['spec'] as object), status: 'enabled' } };
    const afterEnable = itemsOf(runOn(resourceList([enabled, ...afterDisable.slice(1)], withDefaults)));
    expect(moduleOf(afterEnable).resource.auth0_event_stream.this.status).toBe('enabled');
  });

  it('adds no file annotations when the stream has none (kustomize)', () => {
    const bare = stream('orders', { namespace: 'shop', annotations: LOCAL });
    expect(itemsOf(runOn(resourceList([bare])))).toStrictEqual([bare, ...generatedFor(bare)]);
  });

  it('lets streams of the same name in one directory share the generated file, numbering on, when each namespace has its own ProviderConfig', () => {
    const config = expansionConfig({ terraform: { providerConfigRef: { kind: 'ProviderConfig' } } });
    const a = stream('orders', { namespace: 'a', annotations: { ...kptAnnotations('streams.yaml', 0), ...LOCAL } });
    const b = stream('orders', { namespace: 'b', annotations: { ...kptAnnotations('streams.yaml', 1), ...LOCAL } });
    const forA = generatedFor(a, config);
    const forB = generatedFor(b, config);
    const run = runOn(resourceList([a, b], config));
    expect({ exitCode: run.exitCode, rules: ruleIds(run.output), items: itemsOf(run) }).toStrictEqual({
      exitCode: 0,
      rules: ['duplicate-stream-name'],
      items: [
        a,
        b,
        ...forA.map((object, index) => placedAt(object, 'orders.generated.yaml', index)),
        ...forB.map((object, index) => placedAt(object, 'orders.generated.yaml', forA.length + index)),
      ],
    });
  });

  it('numbers a shared generated file by stream key, whatever the order the streams come in', () => {
    const config = expansionConfig({ terraform: { providerConfigRef: { kind: 'ProviderConfig' } } });
    const a = stream('orders', { namespace: 'a', annotations: { ...kptAnnotations('streams.yaml', 0), ...LOCAL } });
    const b = stream('orders', { namespace: 'b', annotations: { ...kptAnnotations('streams.yaml', 1), ...LOCAL } });
    const forA = generatedFor(a, config).map((object, index) => placedAt(object, 'orders.generated.yaml', index));
    const forB = generatedFor(b, config).map((object, index) => placedAt(object, 'orders.generated.yaml', forA.length + index));
    expect(itemsOf(runOn(resourceList([b, a], config)))).toStrictEqual([b, a, ...forB, ...forA]);
  });

  it.each([
    ['the ClusterProviderConfig (the default)', expansionConfig({})],
    ['scope: Cluster', expansionConfig({ scope: 'Cluster' })],
  ])('refuses a second stream of one name in another namespace when both reach one tenant through %s, in either order', (_name, config) => {
    const a = stream('orders', { namespace: 'a', annotations: LOCAL });
    const b = stream('orders', { namespace: 'b', annotations: LOCAL });
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      const run = runOn(resourceList(order, config));
      expect(run.exitCode).toBe(1);
      expect(itemsOf(run).slice(2)).toStrictEqual(generatedFor(a, config));
      expect(run.output['results']).toStrictEqual([
        {
          message: expect.stringMatching(/^Auth0EventStream b\/orders has the same name as a\/orders, and both Workspaces use the .*\(409\)\. Rename one of them\.$/),
          severity: 'error',
          resourceRef: { apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', name: 'orders', namespace: 'b' },
          tags: { rule: 'duplicate-stream-name' },
        },
      ]);
    }
  });

  it('gives an object two streams generate to the stream whose key sorts first, in either order', () => {
    const source = 'aws.partner/auth0.com/acme-0b6e6f7e-8a4f-4f36-9d0e-3f1c2b7a9e10/auth0.events';
    const config = expansionConfig({
      routes: [{ name: 'x-events', eventTypes: ['user.created'], streams: ['orders'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }],
    });
    const orders = stream('orders', { namespace: 'shop', spec: eventbridgeSpec(), status: { outputs: { aws_partner_event_source: source } }, annotations: LOCAL });
    const ordersX = stream('orders-x', { namespace: 'shop', spec: eventbridgeSpec(), status: { outputs: { aws_partner_event_source: source } }, annotations: LOCAL });
    for (const order of [
      [orders, ordersX],
      [ordersX, orders],
    ]) {
      const run = runOn(resourceList(order, config));
      expect(run.exitCode).toBe(1);
      const rules = itemsOf(run).filter((item) => item.kind === 'Rule' && item.metadata.name === 'orders-x-events');
      expect(rules.map((rule) => rule.metadata.annotations?.['auth0.openmcf.org/generated-from'])).toStrictEqual(['shop/orders']);
      expect(
        (run.output['results'] as Array<{ message: string; severity: string; tags: { rule: string } }>)
          .filter((result) => result.severity === 'error')
          .map((result) => [result.tags.rule, result.message]),
      ).toStrictEqual([
        [
          'generated-name-conflict',
          expect.stringMatching(
            /^Rule shop\/orders-x-events \(cloudwatchevents\.aws\.m\.upbound\.io\/v1beta1\) is generated for both Auth0EventStream shop\/orders and shop\/orders-x; only the one of shop\/orders is written\./,
          ),
        ],
      ]);
    }
  });

  it('refuses to write two streams into one generated file, which needs names whose hashed file stems collide', () => {
    // Both names clean to `orders-x` and their 8-character hashes are equal (found by search): one file, orders-x.156af5fa.generated.yaml.
    const [first, second] = ['Orders!!_!~~__....x', 'Orders.__~~~~._...x'];
    const items = [first, second].map((name, index) => stream(name, { annotations: { ...LOCAL, ...kptAnnotations('streams.yaml', index) } }));
    const run = runOn(resourceList(items));
    expect(run.exitCode).toBe(1);
    const errors = (run.output['results'] as Array<{ message: string; severity: string; tags: { rule: string } }>).filter((result) => result.severity === 'error');
    expect(errors.map((result) => [result.tags.rule, result.message])).toStrictEqual([
      [
        'generated-file-clash',
        `The resources generated for Auth0EventStream /${second} would go to orders-x.156af5fa.generated.yaml, the file of /${first}. Rename one of the streams.`,
      ],
    ]);
    expect(
      itemsOf(run)
        .filter((item) => item.kind === 'Workspace')
        .map((item) => item.metadata.annotations?.['auth0.openmcf.org/generated-from']),
    ).toStrictEqual([`/${first}`]);
  });

  it('passes the typed ExpansionConfig and the Kptfile among the items through untouched (kpt render configPath)', () => {
    const config = expansionConfig({ scope: 'Namespaced' }, { 'config.kubernetes.io/local-config': 'true', ...kptAnnotations('fn-config.yaml', 0, 6) });
    const run = runOn(resourceList([kptfile, config, orders], config));
    expect(itemsOf(run).slice(0, 3)).toStrictEqual([kptfile, config, orders]);
    expect(run.output['functionConfig']).toStrictEqual(config);
  });

  it('never prunes a stream, even one that carries the labels of generated resources', () => {
    const labelled = annotate({ ...orders, metadata: { ...orders.metadata, labels: { [LABELS.managedBy]: MANAGED_BY } } }, { [GENERATED_FROM]: 'elsewhere/gone' });
    expect(itemsOf(runOn(resourceList([labelled])))[0]).toStrictEqual(labelled);
  });

  it('prints the ResourceList for a package without items', () => {
    const run = runOn(resourceList([]));
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toStrictEqual({
      exitCode: 0,
      stdout: 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n',
    });
  });
});

function ruleOf(result: { tags?: unknown }): unknown {
  return (result.tags as Record<string, unknown> | undefined)?.['rule'];
}

function ruleIds(output: Record<string, unknown>): unknown[] {
  return ((output['results'] ?? []) as { tags?: unknown }[]).map(ruleOf);
}

function refsOf(output: Record<string, unknown>): unknown[] {
  return ((output['results'] ?? []) as { resourceRef?: unknown }[]).map((result) => result.resourceRef);
}

describe('pruning', () => {
  const labels = { [LABELS.managedBy]: MANAGED_BY };
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop', labels, annotations: { [GENERATED_FROM]: 'shop/gone', ...kptAnnotations('api.yaml', 0, 1) } },
    spec: { replicas: 1 },
  };
  const configMapWithMarks: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', labels, annotations: { [GENERATED_FROM]: '/orders', ...kptAnnotations('settings.yaml', 0, 2) } },
    data: { a: '1' },
  };

  it('never deletes an object of a kind the function does not generate, whatever its labels', () => {
    const run = runOn(resourceList([deployment, configMapWithMarks]));
    expect({ exitCode: run.exitCode, items: itemsOf(run) }).toStrictEqual({ exitCode: 0, items: [deployment, configMapWithMarks] });
  });

  it('still deletes what it generated for a stream that is gone, by group and kind, in any version of that group', () => {
    const olderTarget: KubeObject = {
      apiVersion: 'cloudwatchevents.aws.upbound.io/v1beta1',
      kind: 'Target',
      metadata: { name: 'gone-route-0', labels, annotations: { [GENERATED_FROM]: '/gone' } },
      spec: {},
    };
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'gone-webhook-credentials', namespace: 'shop', labels, annotations: { [GENERATED_FROM]: 'shop/gone' } },
    };
    expect(itemsOf(runOn(resourceList([deployment, olderTarget, secret])))).toStrictEqual([deployment]);
  });

  it('does not take a Deployment with the marks for an earlier output of a stream, nor overwrite it', () => {
    const [workspace] = generatedFor(stream('orders', { namespace: 'shop' }));
    const lookalike: KubeObject = { ...deployment, metadata: { ...deployment.metadata, name: workspace!.metadata.name, annotations: { [GENERATED_FROM]: 'shop/orders' } } };
    const orders = stream('orders', { namespace: 'shop', annotations: LOCAL });
    const run = runOn(resourceList([orders, lookalike]));
    expect(itemsOf(run).slice(0, 2)).toStrictEqual([orders, lookalike]);
  });
});

describe('pruning, property: objects that look generated', () => {
  /**
   * A package with a stream, what it generated, and lookalikes of every sort: generated kinds with the marks in
   * a namespace other than the one of the stream they name (kept: the function never puts that stream's objects
   * there), the marks on other kinds
   * (kept), generated-from naming another stream, one that is gone, or a malformed key, and copies of generated
   * objects under other names (dropped, as output of a stream that is gone or no longer generates them).
   */
  const orders = stream('orders', { namespace: 'shop', annotations: { ...kptAnnotations('streams/orders.yaml', 0, 1), ...LOCAL } });
  const generated = generatedFor(stream('orders', { namespace: 'shop' }));
  const marks = (key: string) => ({ labels: { [LABELS.managedBy]: MANAGED_BY }, annotations: { [GENERATED_FROM]: key } });
  const lookalike = fc.record({
    base: fc.constantFrom(...generated),
    namespace: fc.constantFrom('shop', 'prod', 'kube-system', undefined),
    key: fc.constantFrom('shop/orders', 'prod/orders', 'shop/gone', '/orders', 'orders', 'shop/orders/x', ''),
    kind: fc.constantFrom('same', 'Deployment', 'ConfigMap'),
    version: fc.constantFrom('same', 'v1alpha9', 'v2'),
    renamed: fc.boolean(),
  });

  it('keeps every object outside the stream namespace or of another kind, and leaves one of each generated object', () => {
    fc.assert(
      fc.property(fc.array(lookalike, { maxLength: 6 }), (specs) => {
        const lookalikes = specs.map(({ base, namespace, key, kind, version, renamed }, index): KubeObject => {
          const group = base.apiVersion.includes('/') ? base.apiVersion.slice(0, base.apiVersion.lastIndexOf('/')) : '';
          const apiVersion = kind !== 'same' ? (kind === 'Deployment' ? 'apps/v1' : 'v1') : version === 'same' ? base.apiVersion : group === '' ? 'v1' : `${group}/${version}`;
          return {
            apiVersion,
            kind: kind === 'same' ? base.kind : kind,
            metadata: {
              name: renamed ? `${base.metadata.name}-copy-${index}` : base.metadata.name,
              ...(namespace !== undefined && { namespace }),
              ...marks(key),
              annotations: { [GENERATED_FROM]: key, ...kptAnnotations(`lookalikes.yaml`, index, 10 + index) },
            },
          };
        });
        const items = itemsOf(runOn(resourceList([orders, ...lookalikes])));
        for (const item of lookalikes) {
          const key = String(item.metadata.annotations?.[GENERATED_FROM]);
          // In a namespace where the stream it names would not put it.
          const elsewhere = item.metadata.namespace !== undefined && !key.startsWith(`${item.metadata.namespace}/`);
          const otherKind = item.kind === 'Deployment' || item.kind === 'ConfigMap';
          if (elsewhere || otherKind)
            expect(items, `${item.kind} ${item.metadata.namespace}/${item.metadata.name} from ${String(item.metadata.annotations?.[GENERATED_FROM])}`).toContainEqual(item);
        }
        // Whatever was taken for earlier output, each object the stream generates is there once.
        for (const object of generated) {
          const copies = items.filter((item) => item.kind === object.kind && item.metadata.name === object.metadata.name && item.metadata.namespace === object.metadata.namespace);
          expect(copies.filter((item) => item.metadata.annotations?.[GENERATED_FROM] === 'shop/orders').length, `${object.kind} ${object.metadata.name}`).toBeLessThanOrEqual(1);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('local configuration', () => {
  const fresh = stream('orders', { namespace: 'shop', annotations: kptAnnotations('streams.yaml', 0, 2) });
  const config = expansionConfig({}, kptAnnotations('fn-config.yaml', 0, 3));

  it('marks the streams and an ExpansionConfig among the items local-config, and nothing else', () => {
    const other = configMap('other', { a: 'b' }, kptAnnotations('streams.yaml', 1, 4));
    const items = itemsOf(runOn(resourceList([fresh, config, other], config)));
    expect(items.slice(0, 3)).toStrictEqual([annotate(fresh, LOCAL), annotate(config, LOCAL), other]);
    expect(items.slice(3).every((item) => item.metadata.annotations?.['config.kubernetes.io/local-config'] === undefined)).toBe(true);
  });

  it('is idempotent: marked items come back as the very same objects', () => {
    const marked = [annotate(fresh, LOCAL), annotate(config, LOCAL)];
    const outcome = processResourceList({ items: marked, functionConfig: config });
    expect(outcome.items[0]).toBe(marked[0]);
    expect(outcome.items[1]).toBe(marked[1]);
  });

  it.each([
    ['a typed ExpansionConfig', expansionConfig({ markLocalConfig: false }, kptAnnotations('fn-config.yaml', 0, 3))],
    ['a ConfigMap', { ...KPT_EMPTY_FUNCTION_CONFIG, data: { markLocalConfig: 'false' } }],
  ])('keeps the sources as ordinary resources with markLocalConfig: false in %s', (_name, functionConfig) => {
    const items = itemsOf(runOn(resourceList([fresh, functionConfig], functionConfig)));
    expect(items.slice(0, 2)).toStrictEqual([fresh, functionConfig]);
  });
});

describe('all problems at once', () => {
  it('validates the streams even when the functionConfig is broken, against the settings that are valid', () => {
    const broken = stream('orders', { namespace: 'shop', spec: webhookSpec(['user.created', 'user.blocked']), annotations: LOCAL });
    const config = expansionConfig({ eventTypes: 'warn', scope: 'Galaxy' });
    const run = runOn(resourceList([broken], config));
    expect({
      exitCode: run.exitCode,
      items: itemsOf(run),
      results: (run.output['results'] as Array<{ severity: string; tags: { rule: string } }>).map((result) => [result.severity, result.tags.rule]),
    }).toStrictEqual({
      exitCode: 1,
      items: [broken],
      results: [
        ['error', 'invalid-value'],
        ['warning', 'unknown-event-type'],
      ],
    });
  });
});

describe('routes that name streams', () => {
  const source = 'aws.partner/auth0.com/acme-0b6e6f7e-8a4f-4f36-9d0e-3f1c2b7a9e10/auth0.events';
  const tenant = stream('tenant-events', { namespace: 'shop', spec: eventbridgeSpec(), status: { outputs: { aws_partner_event_source: source } }, annotations: LOCAL });
  const hook = stream('crm', { namespace: 'shop', annotations: LOCAL });

  it('warns about an entry that names no stream of the package (with a suggestion) or a webhook stream', () => {
    const config = expansionConfig({
      routes: [{ name: 'users', eventTypes: ['user.created'], streams: ['tenant-events', 'tenant-evnts', 'crm'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }],
    });
    const run = runOn(resourceList([tenant, hook], config));
    const warnings = (run.output['results'] as Array<{ severity: string; message: string; field?: unknown; resourceRef?: unknown; tags: { rule: string } }>).filter(
      (result) => result.severity === 'warning',
    );
    expect(run.exitCode).toBe(0);
    expect(warnings).toStrictEqual([
      {
        message: 'Route "users" names stream "tenant-evnts", which is not an Auth0EventStream of this package, so the route generates nothing for it. Did you mean tenant-events?',
        severity: 'warning',
        resourceRef: { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', name: 'expansion' },
        field: { path: 'spec.routes[0].streams[1]', currentValue: 'tenant-evnts' },
        tags: { rule: 'route-stream-not-found' },
      },
      {
        message: 'Route "users" names stream "crm", a webhook stream; routes apply to eventbridge streams only, so the route generates nothing for it.',
        severity: 'warning',
        resourceRef: { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', name: 'expansion' },
        field: { path: 'spec.routes[0].streams[2]', currentValue: 'crm' },
        tags: { rule: 'route-stream-not-eventbridge' },
      },
    ]);
  });
});
