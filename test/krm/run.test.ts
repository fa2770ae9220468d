import { describe, expect, it } from 'vitest';
import { expandStream, readConfig } from '../../src/core/index.js';
import type { KubeObject } from '../../src/core/index.js';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import { parseYaml, stringifyYaml } from '../../src/krm/yaml.js';
import { annotate, configMap, expansionConfig, parsed, resourceList, runLegacyOn, stream, webhookSpec } from '../support/krm.js';

const LOCAL = { 'config.kubernetes.io/local-config': 'true' };

const HINT =
  'expected a ResourceList (apiVersion: config.kubernetes.io/v1, kind: ResourceList) as run by `kpt fn eval --exec` ' +
  'or `kpt fn render`; for kustomize legacy exec plugins, pass the plugin config file as the first argument';

/** The reply to unusable input: a valid, empty ResourceList with one error, and exit 1 (kpt then writes nothing). */
function refusal(message: string): { exitCode: number; output: unknown; stderr: string[] } {
  return {
    exitCode: 1,
    output: { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [], results: [{ message, severity: 'error', tags: { rule: 'invalid-input' } }] },
    stderr: [`error: ${message}`],
  };
}

function runBytes(bytes: Uint8Array): { exitCode: number; output: unknown; stderr: readonly string[] } {
  const run = parsed(runResourceList(bytes));
  return { exitCode: run.exitCode, output: run.output, stderr: run.stderr };
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('runResourceList on unusable input', () => {
  it('answers empty stdin with a valid ResourceList and an error', () => {
    expect(runBytes(new Uint8Array())).toStrictEqual(refusal(`input is empty; ${HINT}`));
  });

  it('answers text that is not YAML', () => {
    expect(runBytes(text('apiVersion: v1\nkind: [unclosed\n'))).toStrictEqual(
      refusal('input is not valid YAML: unexpected end of the stream within a flow collection at line 3, column 1'),
    );
  });

  it('answers bytes that are not UTF-8', () => {
    expect(runBytes(new Uint8Array([0x61, 0x3a, 0x20, 0xfe, 0x0a]))).toStrictEqual(
      refusal('input is not valid UTF-8: byte 0xfe at line 1 (byte offset 3); save the files as UTF-8'),
    );
  });

  it('answers several YAML documents (not a ResourceList)', () => {
    expect(runBytes(text('a: 1\n---\nb: 2\n'))).toStrictEqual(refusal('input is not valid YAML: expected a single document in the stream, but found more'));
  });

  it('answers a plain Kubernetes object', () => {
    expect(runBytes(text(stringifyYaml(stream('orders'))))).toStrictEqual(
      refusal(`input has kind "Auth0EventStream" and apiVersion "auth0.openmcf.org/v1", not a ResourceList; ${HINT}`),
    );
  });

  it('echoes the items back when one of them is not a Kubernetes object', () => {
    const items = [stream('orders'), { kind: 'Broken' }];
    expect(runBytes(text(stringifyYaml(resourceList(items, { data: {} }))))).toStrictEqual({
      exitCode: 1,
      output: {
        apiVersion: 'config.kubernetes.io/v1',
        kind: 'ResourceList',
        items,
        functionConfig: { data: {} },
        results: [
          {
            message: 'items[1] is missing apiVersion, metadata; every item must be a Kubernetes object with apiVersion, kind and metadata.name',
            severity: 'error',
            tags: { rule: 'invalid-item' },
          },
        ],
      },
      stderr: ['error: items[1] is missing apiVersion, metadata; every item must be a Kubernetes object with apiVersion, kind and metadata.name'],
    });
  });
});

describe('runResourceList', () => {
  it('prints one sorted stderr line per result and exits 1 on an error', () => {
    const bad = stream('bad', { spec: webhookSpec(['user.blocked']) });
    const run = parsed(runResourceList(text(stringifyYaml(resourceList([bad, stream('good')])))));
    const findings = expandStream(bad, readConfig(undefined).config).findings;
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toStrictEqual({
      exitCode: 1,
      stderr: findings.map((finding) => `${finding.severity}: Auth0EventStream/bad ${finding.path}: ${finding.message.replace(`${finding.path}: `, '')}`),
    });
  });

  it('accepts JSON input, answers in YAML, and writes the items it leaves alone as they were written', () => {
    const list = resourceList([configMap('c', { a: 'on' })]);
    const run = runResourceList(text(JSON.stringify(list)));
    expect(run).toStrictEqual({
      stdout: 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"on"}}\n',
      stderr: [],
      exitCode: 0,
    });
    expect(parseYaml(run.stdout)).toStrictEqual(list);
  });
});

describe('runLegacyPlugin (kustomize exec plugin)', () => {
  const kustomizeId = { 'kustomize.config.k8s.io/id': 'group: auth0.openmcf.org\nkind: Auth0EventStream\nname: orders\nnamespace: shop\nversion: v1\n' };
  const orders = stream('orders', { namespace: 'shop', annotations: kustomizeId });
  const config = expansionConfig({ scope: 'Namespaced' });
  const generated = (item: KubeObject): KubeObject[] => expandStream(item, readConfig(config).config).resources.map(({ object }) => object);

  it('reads multi-document YAML and writes the resources back the same way, generated ones appended', () => {
    const other = configMap('other', { d: '2024-01-01' });
    expect(runLegacyOn(config, [orders, other])).toStrictEqual({
      items: [annotate(orders, LOCAL), other, ...generated(orders)],
      stdout: expect.stringMatching(/^---\napiVersion: auth0\.openmcf\.org\/v1\n/),
      stderr: [],
      exitCode: 0,
    });
  });

  it('is a no-op generator on empty stdin', () => {
    expect(runLegacyPlugin(stringifyYaml(config), new Uint8Array())).toStrictEqual({ stdout: '', stderr: [], exitCode: 0 });
  });

  it('takes a ResourceList document on stdin for its items', () => {
    expect(runLegacyOn(config, [resourceList([orders])]).items).toStrictEqual([annotate(orders, LOCAL), ...generated(orders)]);
  });

  it('writes errors to stderr and exits 1, resources still printed', () => {
    const bad = stream('orders', { spec: webhookSpec(['nope.nothing']) });
    const run = runLegacyOn(config, [bad]);
    const findings = expandStream(bad, readConfig(config).config).findings;
    expect({ items: run.items, exitCode: run.exitCode, stderr: run.stderr }).toStrictEqual({
      items: [annotate(bad, LOCAL)],
      exitCode: 1,
      stderr: findings.map((finding) => `${finding.severity}: Auth0EventStream/orders ${finding.path}: ${finding.message.replace(`${finding.path}: `, '')}`),
    });
  });

  it('refuses a plugin config that is not YAML', () => {
    expect(runLegacyPlugin('spec: [', new Uint8Array())).toStrictEqual({
      stdout:
        'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nresults:\n  - message: "plugin config is not valid YAML: unexpected end of the stream within a flow collection at line 2, column 1"\n    severity: error\n    tags:\n      rule: invalid-input\n',
      stderr: ['error: plugin config is not valid YAML: unexpected end of the stream within a flow collection at line 2, column 1'],
      exitCode: 1,
    });
  });

  it('refuses documents that are not Kubernetes objects', () => {
    expect(runLegacyPlugin(stringifyYaml(config), text('---\njust: data\n'))).toStrictEqual({
      stdout:
        'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- just: data\nresults:\n  - message: documents[0] is missing apiVersion, kind, metadata; every item must be a Kubernetes object with apiVersion, kind and metadata.name\n    severity: error\n    tags:\n      rule: invalid-item\n',
      stderr: ['error: documents[0] is missing apiVersion, kind, metadata; every item must be a Kubernetes object with apiVersion, kind and metadata.name'],
      exitCode: 1,
    });
  });

  it('round-trips its own output', () => {
    const first = runLegacyOn(config, [orders]);
    const second = runLegacyPlugin(stringifyYaml(config), text(first.stdout));
    expect(second).toStrictEqual({ stdout: first.stdout, stderr: [], exitCode: 0 });
  });
});
