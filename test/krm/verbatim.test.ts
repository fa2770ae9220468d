import { describe, expect, it } from 'vitest';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import { parseWithSourceMap } from '../../src/krm/source-map.js';
import { listPieces } from '../../src/krm/item-text.js';
import { ItemWriter, itemPieces, selfContained } from '../../src/krm/verbatim.js';
import { parseYaml } from '../../src/krm/yaml.js';

const encode = (text: string) => new TextEncoder().encode(text);

/** A ResourceList as kpt writes it: compact sequence, single-quoted annotations, comments, the user's quoting. */
const KPT_INPUT = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- # Not a stream: left exactly as written.
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: crm-settings # used by the CRM sync service
    annotations:
      internal.config.kubernetes.io/path: 'configmap.yaml'
      internal.config.kubernetes.io/index: '0'
  data: {region: "eu", retries: '3', enabled: "yes"}
- apiVersion: v1
  kind: Secret
  metadata:
    name: s
  stringData:
    note: |
      two lines
      here
functionConfig:
  metadata:
    name: function-input
  data: {}
  kind: ConfigMap
  apiVersion: v1
`;

/** Values a rewrite would change: numbers past 2^53, other spellings of numbers, tags, block scalars. */
const FRAGILE = `- apiVersion: v1
  kind: Example
  metadata:
    name: fragile
  values:
    big: 12345678901234567890
    octal: 0o17
    hex: 0x1F
    trailing-zero: 1.10
    quoted: "eu"
    binary: !!binary aGVsbG8=
    stamp: !!timestamp 2001-12-14t21:59:43.10-05:00
    set: !!set {a, b}
    custom: !thing {k: v}
    literal: |+
      keep\ttabs

`;

const ANCHORED = '- &base\n  apiVersion: v1\n  kind: A\n  metadata: {name: a}\n  n: 0o17\n';
/** A stream that writeDefaults changes (spec.status is added). */
const STREAM =
  '- apiVersion: auth0.openmcf.org/v1\n  kind: Auth0EventStream\n  metadata: {name: s}\n  spec:\n    destination_type: webhook\n    subscriptions: [user.created]\n' +
  '    webhook_configuration:\n      webhook_endpoint: https://hooks.example.com/x\n      webhook_authorization: {method: bearer, token_secret_ref: {name: s, key: token}}\n';
const DEFAULTS = 'functionConfig:\n  apiVersion: fn.auth0.openmcf.org/v1alpha1\n  kind: ExpansionConfig\n  metadata: {name: c}\n  spec: {writeDefaults: true}\n';

describe('items the function leaves alone', () => {
  it('come back as their source text, quoting, flow style and comments included', () => {
    const items = KPT_INPUT.slice(KPT_INPUT.indexOf('items:\n'), KPT_INPUT.indexOf('functionConfig:'));
    expect(runResourceList(encode(KPT_INPUT))).toStrictEqual({
      stdout:
        'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n' +
        items +
        'functionConfig:\n  metadata:\n    name: function-input\n  data: {}\n  kind: ConfigMap\n  apiVersion: v1\n',
      stderr: [],
      exitCode: 0,
    });
  });

  it('keep big numbers, other spellings of numbers, tags and block scalars, in ResourceList mode', () => {
    const run = runResourceList(encode(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${FRAGILE}`));
    expect(run).toStrictEqual({ stdout: `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${FRAGILE}`, stderr: [], exitCode: 0 });
  });

  it('keep them in legacy plugin mode too', () => {
    const document = FRAGILE.replace(/^- /, '').replace(/^ {2}/gm, '');
    expect(runLegacyPlugin('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', encode(document))).toStrictEqual({ stdout: `---\n${document}`, stderr: [], exitCode: 0 });
  });

  it('keep aliases to anchors in other items, as long as everything before them is written as it was', () => {
    const text = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${ANCHORED}- apiVersion: v1\n  kind: B\n  metadata: {name: b}\n  copy: *base\n  merged:\n    <<: *base\n`;
    expect(runResourceList(encode(text))).toStrictEqual({ stdout: text, stderr: [], exitCode: 0 });
  });

  it('write an item with an alias to another item out when an item before it changed, numbers spelled as they were', () => {
    const text = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${ANCHORED}${STREAM}- apiVersion: v1\n  kind: B\n  metadata: {name: b}\n  copy: *base\n${DEFAULTS}`;
    const run = runResourceList(encode(text));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(ANCHORED);
    expect(run.stdout).toContain('- apiVersion: v1\n  kind: B\n  metadata:\n    name: b\n  copy:\n    apiVersion: v1\n    kind: A\n    metadata:\n      name: a\n    "n": 0o17\n');
    expect((parseYaml(run.stdout) as { items: unknown[] }).items[2]).toStrictEqual((parseYaml(text) as { items: unknown[] }).items[2]);
  });

  it('refuse, naming the field, what a rewrite cannot keep: a merge key bringing a number spelled 0o17', () => {
    const text = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${ANCHORED}${STREAM}- apiVersion: v1\n  kind: B\n  metadata: {name: b}\n  merged:\n    <<: *base\n${DEFAULTS}`;
    const run = runResourceList(encode(text));
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toStrictEqual({
      exitCode: 1,
      stderr: [
        'error: B/b merged.n: this item must be rewritten (it refers to an anchor defined outside it), and its value merged in with << and written ' +
          'in a way only its own text keeps (such as 0o17 or 1.10) would not survive that; write the value out in this mapping, or quote it where the anchor defines it',
      ],
    });
    expect(run.stdout).toBe(`${text.slice(0, text.indexOf('functionConfig:'))}${run.stdout.slice(run.stdout.indexOf('functionConfig:'))}`);
  });
});

describe('items the function changes', () => {
  const stream = (status: string) => `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: auth0.openmcf.org/v1
  kind: Auth0EventStream
  metadata:
    name: orders
    generation: 0o17
    annotations:
      internal.config.kubernetes.io/path: 'orders.yaml'
      note: !!binary aGVsbG8=
  spec:
    destination_type: webhook
    subscriptions: [user.created]
    webhook_configuration:
      webhook_endpoint: https://hooks.example.com/x
      webhook_authorization: {method: bearer, token_secret_ref: {name: s, key: token}}
  status:
${status}functionConfig:
  apiVersion: fn.auth0.openmcf.org/v1alpha1
  kind: ExpansionConfig
  metadata: {name: c}
  spec: {writeDefaults: true}
`;

  it('keep the spelling and tags of every value they took from their input', () => {
    const run = runResourceList(encode(stream('    observedGeneration: 12345678901234567890\n    ratio: 1.10\n')));
    expect(run.exitCode).toBe(0);
    const written = run.stdout.slice(run.stdout.indexOf('- apiVersion: auth0'), run.stdout.indexOf('- apiVersion: tf.'));
    expect(written).toBe(`- apiVersion: auth0.openmcf.org/v1
  kind: Auth0EventStream
  metadata:
    name: orders
    generation: 0o17
    annotations:
      internal.config.kubernetes.io/path: orders.yaml
      note: !!binary aGVsbG8=
      auth0.openmcf.org/written-defaults: spec.status
      config.kubernetes.io/local-config: "true"
  spec:
    destination_type: webhook
    subscriptions:
      - user.created
    webhook_configuration:
      webhook_endpoint: https://hooks.example.com/x
      webhook_authorization:
        method: bearer
        token_secret_ref:
          name: s
          key: token
    status: enabled
  status:
    observedGeneration: 12345678901234567890
    ratio: 1.10
`);
  });

  it('are refused, naming file and field, when they hold what a rewrite cannot keep (a key that is not a string)', () => {
    const run = runResourceList(encode(stream('    weird: {1: a}\n')));
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toStrictEqual({
      exitCode: 1,
      stderr: [
        'error: orders.yaml[0] Auth0EventStream/orders status.weird: this item must be rewritten (the function changes it), and its key that is ' +
          'not a string (a number, true, null) would not survive that; quote the key',
      ],
    });
    expect((parseYaml(run.stdout) as { results: unknown[] }).results).toStrictEqual([
      expect.objectContaining({ severity: 'error', field: { path: 'status.weird' }, tags: { rule: 'unkeepable-value' } }),
    ]);
  });
});

describe('ItemWriter', () => {
  it('freezes the items it will write as their old text, so that a change made to one in place fails instead of being lost', () => {
    const text = 'items:\n- apiVersion: v1\n  kind: X\n  metadata:\n    name: a\n    annotations: {k: v}\n    labels: {l: v}\n';
    const { value, source } = parseWithSourceMap(text, (input, listen) => parseYaml(input, 'input', listen));
    const { items } = value as { items: Array<{ metadata: Record<string, Record<string, string>> }> };
    new ItemWriter(source, itemPieces(source, items, listPieces(source, items, '')!));
    const item = items[0]!;
    expect(() => Object.assign(item.metadata['annotations']!, { 'config.kubernetes.io/local-config': 'true' })).toThrow(TypeError);
    expect(() => Object.assign(item.metadata['labels']!, { x: 'y' })).toThrow(TypeError);
    expect(() => Object.assign(item, { spec: {} })).toThrow(TypeError);
  });
});

describe('selfContained', () => {
  it('is false for a text whose alias names an anchor outside it, true for anchors within', () => {
    const text = 'a: &x 1\nb:\n  c: &y 2\n  d: *y\ne: *x\n';
    const { source } = parseWithSourceMap(text, (input, listen) => parseYaml(input, 'input', listen));
    const b = [text.indexOf('b:'), text.indexOf('e:')] as const;
    const e = [text.indexOf('e:'), text.length] as const;
    expect([selfContained(source, ...b), selfContained(source, ...e)]).toStrictEqual([true, false]);
  });
});
