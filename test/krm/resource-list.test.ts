import { describe, expect, it } from 'vitest';
import { readResourceList, resourceListChunks, validateItems, writeResourceList } from '../../src/krm/resource-list.js';
import { adapterResult } from '../../src/krm/results.js';
import { ItemWriter } from '../../src/krm/verbatim.js';
import { parseYaml } from '../../src/krm/yaml.js';
import { KPT_EMPTY_FUNCTION_CONFIG, configMap, kptAnnotations, resourceList, stream } from '../support/krm.js';

const HINT =
  'expected a ResourceList (apiVersion: config.kubernetes.io/v1, kind: ResourceList) as run by `kpt fn eval --exec` ' +
  'or `kpt fn render`; for kustomize legacy exec plugins, pass the plugin config file as the first argument';

describe('readResourceList', () => {
  it('accepts a config.kubernetes.io/v1 ResourceList and keeps its functionConfig', () => {
    const items = [stream('orders'), configMap('other', { a: '1' })];
    expect(readResourceList(resourceList(items, KPT_EMPTY_FUNCTION_CONFIG))).toStrictEqual({
      ok: true,
      list: { items, functionConfig: KPT_EMPTY_FUNCTION_CONFIG },
    });
  });

  it('accepts v1beta1, a v1 List, and a list without items or functionConfig', () => {
    const items = [stream('orders')];
    expect([
      readResourceList({ apiVersion: 'config.kubernetes.io/v1beta1', kind: 'ResourceList', items }),
      readResourceList({ apiVersion: 'v1', kind: 'List', items }),
      readResourceList({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList' }),
    ]).toStrictEqual([
      { ok: true, list: { items } },
      { ok: true, list: { items } },
      { ok: true, list: { items: [] } },
    ]);
  });

  it('refuses what is not a ResourceList, saying what is expected', () => {
    expect([
      readResourceList(undefined),
      readResourceList('just text'),
      readResourceList([1, 2]),
      readResourceList({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }),
      readResourceList({ apiVersion: 'config.kubernetes.io/v2', kind: 'ResourceList', items: [] }),
      readResourceList({ a: 1 }),
    ]).toStrictEqual([
      { ok: false, items: [], results: [adapterResult('invalid-input', 'error', `input is empty; ${HINT}`)] },
      { ok: false, items: [], results: [adapterResult('invalid-input', 'error', `input is a string; ${HINT}`)] },
      { ok: false, items: [], results: [adapterResult('invalid-input', 'error', `input is a list; ${HINT}`)] },
      { ok: false, items: [], results: [adapterResult('invalid-input', 'error', `input has kind "Deployment" and apiVersion "apps/v1", not a ResourceList; ${HINT}`)] },
      {
        ok: false,
        items: [],
        results: [
          adapterResult('invalid-input', 'error', 'input ResourceList has apiVersion "config.kubernetes.io/v2"; use config.kubernetes.io/v1 or config.kubernetes.io/v1beta1'),
        ],
      },
      { ok: false, items: [], results: [adapterResult('invalid-input', 'error', `input is a mapping without kind, not a ResourceList; ${HINT}`)] },
    ]);
  });

  it('refuses items that are not a list', () => {
    expect(readResourceList({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: { a: 1 } })).toStrictEqual({
      ok: false,
      items: [],
      results: [adapterResult('invalid-input', 'error', 'input ResourceList has items of type a mapping; items must be a list of Kubernetes objects')],
    });
  });

  it('reports every item that is not a Kubernetes object, by index, and keeps the items to echo them', () => {
    const broken = { apiVersion: 'v1', metadata: { annotations: kptAnnotations('bad.yaml', 3) } };
    const items = [stream('orders'), broken, 'text', { kind: 'X', metadata: { name: '' } }];
    expect(readResourceList(resourceList(items))).toStrictEqual({
      ok: false,
      items,
      results: [
        {
          message: 'items[1] is missing kind, metadata.name; every item must be a Kubernetes object with apiVersion, kind and metadata.name',
          severity: 'error',
          file: { path: 'bad.yaml', index: 3 },
          tags: { rule: 'invalid-item' },
        },
        { message: 'items[2] is a string, not a Kubernetes object with apiVersion, kind and metadata.name', severity: 'error', tags: { rule: 'invalid-item' } },
        {
          message: 'items[3] is missing apiVersion, metadata.name; every item must be a Kubernetes object with apiVersion, kind and metadata.name',
          severity: 'error',
          tags: { rule: 'invalid-item' },
        },
      ],
    });
  });
});

describe('validateItems', () => {
  it('uses the given label', () => {
    expect(validateItems([null], 'documents')).toStrictEqual([
      adapterResult('invalid-item', 'error', 'documents[0] is empty, not a Kubernetes object with apiVersion, kind and metadata.name'),
    ]);
  });
});

describe('writeResourceList', () => {
  it('writes apiVersion, kind, items, the functionConfig as received, then sorted results', () => {
    const results = [adapterResult('target-policy-statement', 'info', 'b'), adapterResult('invalid-input', 'error', 'a')];
    expect(parseYaml(writeResourceList([stream('orders')], results, { value: KPT_EMPTY_FUNCTION_CONFIG }))).toStrictEqual({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [stream('orders')],
      functionConfig: KPT_EMPTY_FUNCTION_CONFIG,
      results: [adapterResult('invalid-input', 'error', 'a'), adapterResult('target-policy-statement', 'info', 'b')],
    });
  });

  it('leaves out functionConfig when none was received and results when there are none', () => {
    expect(writeResourceList([], [])).toBe('apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n');
  });

  it('produces the output in pieces, one per item, never as one string', () => {
    const items = [stream('a'), stream('b'), configMap('c', { x: '1' })];
    const pieces = [...resourceListChunks(items, [], undefined, new ItemWriter(undefined, new Map()))];
    expect({ count: pieces.length, whole: pieces.join('') }).toStrictEqual({ count: 5, whole: writeResourceList(items, []) });
  });
});
