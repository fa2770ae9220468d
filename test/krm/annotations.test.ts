import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { generatedFilePath, placeGenerated, sourceFileOf } from '../../src/krm/annotations.js';
import { kptAnnotations, stream } from '../support/krm.js';

const generated: KubeObject = {
  apiVersion: 'tf.m.upbound.io/v1beta1',
  kind: 'Workspace',
  metadata: { name: 'orders-auth0-stream', labels: { app: 'x' }, annotations: { 'auth0.openmcf.org/generated-from': '/orders' } },
  spec: { a: 1 },
};

describe('generatedFilePath', () => {
  it('puts <stream name>.generated.yaml next to the stream, or nowhere when it has no file', () => {
    expect([
      generatedFilePath(stream('orders', { annotations: kptAnnotations('streams/all.yaml', 1) })),
      generatedFilePath(stream('orders', { annotations: kptAnnotations('all.yaml', 0) })),
      generatedFilePath(stream('orders', { annotations: { 'config.kubernetes.io/path': 'a/b/legacy.yaml' } })),
      generatedFilePath(stream('orders')),
    ]).toStrictEqual([{ path: 'streams/orders.generated.yaml' }, { path: 'orders.generated.yaml' }, { path: 'a/b/orders.generated.yaml' }, undefined]);
  });

  it('normalizes the directory, and says when it is outside the package', () => {
    expect([
      generatedFilePath(stream('orders', { annotations: kptAnnotations('./a/./b/../all.yaml', 0) })),
      generatedFilePath(stream('orders', { annotations: kptAnnotations('../all.yaml', 0) })),
      generatedFilePath(stream('orders', { annotations: kptAnnotations('a/../../all.yaml', 0) })),
      generatedFilePath(stream('orders', { annotations: kptAnnotations('/etc/all.yaml', 0) })),
      generatedFilePath(stream('../../x', { annotations: kptAnnotations('all.yaml', 0) })),
    ]).toStrictEqual([
      { path: 'a/orders.generated.yaml' },
      { outside: '../all.yaml' },
      { outside: 'a/../../all.yaml' },
      { outside: '/etc/all.yaml' },
      { path: expect.stringMatching(/^x\.[0-9a-f]{8}\.generated\.yaml$/) },
    ]);
  });
});

describe('sourceFileOf', () => {
  it('reads path and index, preferring the internal keys, treating a bad index as 0', () => {
    expect([
      sourceFileOf(
        stream('a', { annotations: { 'internal.config.kubernetes.io/path': 'new.yaml', 'config.kubernetes.io/path': 'old.yaml', 'internal.config.kubernetes.io/index': '4' } }),
      ),
      sourceFileOf(stream('a', { annotations: { 'internal.config.kubernetes.io/path': 'x.yaml', 'internal.config.kubernetes.io/index': 'two' } })),
      sourceFileOf(stream('a')),
      sourceFileOf('not an object'),
    ]).toStrictEqual([{ path: 'new.yaml', index: 4 }, { path: 'x.yaml', index: 0 }, undefined, undefined]);
  });
});

describe('placeGenerated', () => {
  it('sets only the internal path and index on a new object', () => {
    expect(placeGenerated(generated, undefined, { path: 'orders.generated.yaml', index: 0 })).toStrictEqual({
      ...generated,
      metadata: {
        ...generated.metadata,
        annotations: {
          'auth0.openmcf.org/generated-from': '/orders',
          'internal.config.kubernetes.io/path': 'orders.generated.yaml',
          'internal.config.kubernetes.io/index': '0',
        },
      },
    });
  });

  it("keeps the replaced item's orchestrator annotations, drops its other ones, and syncs both path keys", () => {
    const existing: KubeObject = {
      ...generated,
      metadata: {
        name: generated.metadata.name,
        annotations: {
          ...kptAnnotations('old/orders.generated.yaml', 3, 9),
          'kustomize.config.k8s.io/id': 'kind: Workspace\n',
          'someone/else': 'edited by hand',
        },
      },
    };
    expect(placeGenerated(generated, existing, { path: 'orders.generated.yaml', index: 1 }).metadata.annotations).toStrictEqual({
      'auth0.openmcf.org/generated-from': '/orders',
      'config.kubernetes.io/index': '1',
      'config.kubernetes.io/path': 'orders.generated.yaml',
      'internal.config.kubernetes.io/index': '1',
      'internal.config.kubernetes.io/path': 'orders.generated.yaml',
      'internal.config.kubernetes.io/seqindent': 'compact',
      'internal.config.kubernetes.io/id': '9',
      'config.k8s.io/id': '9',
      'kustomize.config.k8s.io/id': 'kind: Workspace\n',
    });
  });

  it('without a file keeps what the orchestrator had, and adds no annotations block when there is nothing to say', () => {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } };
    const existing: KubeObject = { ...bare, metadata: { name: 's', annotations: { 'kustomize.config.k8s.io/id': 'id' } } };
    expect([placeGenerated(bare, undefined, undefined), placeGenerated(bare, existing, undefined)]).toStrictEqual([
      bare,
      { ...bare, metadata: { name: 's', annotations: { 'kustomize.config.k8s.io/id': 'id' } } },
    ]);
  });

  it('does not change its arguments', () => {
    const before = structuredClone(generated);
    placeGenerated(generated, undefined, { path: 'x.yaml', index: 0 });
    expect(generated).toStrictEqual(before);
  });
});
