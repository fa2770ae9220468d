/**
 * Upsert, prune and pass-through on packages as kpt and kustomize hand them over, with the real core.
 * The core is the oracle for what a stream generates; these tests check where it lands and what else survives.
 */
import { describe, expect, it } from 'vitest';
import { LABELS, MANAGED_BY, expandStream, readConfig } from '../../src/core/index.js';
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

describe('processResourceList', () => {
  const orders = stream('orders', { namespace: 'shop', annotations: kptAnnotations('streams/orders.yaml', 0, 2) });
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
    const stale = annotate(
      { ...workspace, spec: { outdated: true } },
      { ...kptAnnotations('old/place.yaml', 5, 9), 'note/by-hand': 'lost on regeneration' },
    );
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
    expect(itemsOf(runOn(resourceList(before.filter((item) => item !== before[1] && item.kind !== 'Auth0EventStream'))))).toStrictEqual([
      kptfile,
      other,
    ]);
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
    const created = stream('billing', { namespace: 'shop', spec: eventbridgeSpec('111111111111'), status: { outputs: { id: 'est_1' } } });
    const before = itemsOf(runOn(resourceList([created])));
    const moved = withSpec(created, eventbridgeSpec('222222222222'));
    const run = runOn(resourceList([moved, ...before.slice(1)]));
    const results = run.output['results'] as { field?: unknown; tags?: unknown }[];
    expect({ exitCode: run.exitCode, items: itemsOf(run), immutability: results.filter((result) => ruleOf(result) === 'immutable-field').map((result) => result.field) }).toStrictEqual({
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
    const copy = stream('orders', { namespace: 'shop', annotations: kptAnnotations('copy.yaml', 0, 5) });
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
    const handWritten: KubeObject = { apiVersion: workspace.apiVersion, kind: workspace.kind, metadata: { name: workspace.metadata.name, namespace: 'shop', annotations: kptAnnotations('mine.yaml', 0) }, spec: { mine: true } };
    const run = runOn(resourceList([orders, handWritten]));
    expect({ exitCode: run.exitCode, items: itemsOf(run), results: run.output['results'] }).toStrictEqual({
      exitCode: 1,
      items: [orders, handWritten, ...generatedFor(orders).slice(1).map((object, index) => placedAt(object, 'streams/orders.generated.yaml', index))],
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

  it('writes defaults back into the stream in place when writeDefaults is set, keeping its annotations', () => {
    const config = { ...KPT_EMPTY_FUNCTION_CONFIG, data: { writeDefaults: 'true' } };
    const items = itemsOf(runOn(resourceList([orders, other], config)));
    expect(items.slice(0, 2)).toStrictEqual([{ ...orders, spec: { ...(orders['spec'] as object), status: 'enabled' } }, other]);
  });

  it('adds no file annotations when the stream has none (kustomize)', () => {
    const bare = stream('orders', { namespace: 'shop' });
    expect(itemsOf(runOn(resourceList([bare])))).toStrictEqual([bare, ...generatedFor(bare)]);
  });

  it('lets streams of the same name in one directory share the generated file, numbering on', () => {
    const a = stream('orders', { namespace: 'a', annotations: kptAnnotations('streams.yaml', 0) });
    const b = stream('orders', { namespace: 'b', annotations: kptAnnotations('streams.yaml', 1) });
    const forA = generatedFor(a);
    const forB = generatedFor(b);
    expect(itemsOf(runOn(resourceList([a, b])))).toStrictEqual([
      a,
      b,
      ...forA.map((object, index) => placedAt(object, 'orders.generated.yaml', index)),
      ...forB.map((object, index) => placedAt(object, 'orders.generated.yaml', forA.length + index)),
    ]);
  });

  it('numbers a shared generated file by stream key, whatever the order the streams come in', () => {
    const a = stream('orders', { namespace: 'a', annotations: kptAnnotations('streams.yaml', 0) });
    const b = stream('orders', { namespace: 'b', annotations: kptAnnotations('streams.yaml', 1) });
    const forA = generatedFor(a).map((object, index) => placedAt(object, 'orders.generated.yaml', index));
    const forB = generatedFor(b).map((object, index) => placedAt(object, 'orders.generated.yaml', forA.length + index));
    expect(itemsOf(runOn(resourceList([b, a])))).toStrictEqual([b, a, ...forB, ...forA]);
  });

  it('with scope: Cluster, gives a name two streams generate to the stream whose key sorts first, in either order', () => {
    const config = expansionConfig({ scope: 'Cluster' });
    const a = stream('orders', { namespace: 'a' });
    const b = stream('orders', { namespace: 'b' });
    for (const order of [[a, b], [b, a]]) {
      const run = runOn(resourceList(order, config));
      expect(run.exitCode).toBe(1);
      expect(itemsOf(run).slice(2)).toStrictEqual(generatedFor(a, config));
      expect((run.output['results'] as Array<{ message: string }>).map((result) => result.message)).toStrictEqual([
        expect.stringMatching(/^Workspace orders-auth0-stream \(tf\.upbound\.io\/v1beta1\) is generated for both Auth0EventStream a\/orders and b\/orders; only the one of a\/orders is written\./),
      ]);
    }
  });

  it('passes the typed ExpansionConfig and the Kptfile among the items through untouched (kpt render configPath)', () => {
    const config = expansionConfig({ scope: 'Namespaced' }, { 'config.kubernetes.io/local-config': 'true', ...kptAnnotations('fn-config.yaml', 0, 6) });
    const run = runOn(resourceList([kptfile, config, orders], config));
    expect(itemsOf(run).slice(0, 3)).toStrictEqual([kptfile, config, orders]);
    expect(run.output['functionConfig']).toStrictEqual(config);
  });

  it('never prunes a stream, even one that carries the labels of generated resources', () => {
    const labelled = annotate(
      { ...orders, metadata: { ...orders.metadata, labels: { [LABELS.managedBy]: MANAGED_BY } } },
      { [GENERATED_FROM]: 'elsewhere/gone' },
    );
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
