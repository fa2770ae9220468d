import { describe, expect, it } from 'vitest';
import { runResourceList } from '../../src/krm/run.js';
import { verbatimTexts } from '../../src/krm/verbatim.js';
import { parseYaml } from '../../src/krm/yaml.js';

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

describe('items the function leaves alone', () => {
  it('come back as their source text, quoting, flow style and comments included', () => {
    const items = KPT_INPUT.slice(KPT_INPUT.indexOf('items:\n'), KPT_INPUT.indexOf('functionConfig:'));
    expect(runResourceList(new TextEncoder().encode(KPT_INPUT))).toStrictEqual({
      stdout:
        'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n' +
        items +
        'functionConfig:\n  metadata:\n    name: function-input\n  data: {}\n  kind: ConfigMap\n  apiVersion: v1\n',
      stderr: [],
      exitCode: 0,
    });
  });
});

describe('verbatimTexts', () => {
  it('maps each parsed item to its text', () => {
    const { items } = parseYaml(KPT_INPUT) as { items: unknown[] };
    const texts = verbatimTexts(KPT_INPUT, items);
    expect(items.map((item) => texts.get(item)?.split('\n')[0])).toStrictEqual(['- # Not a stream: left exactly as written.', '- apiVersion: v1']);
  });

  it('gives nothing when a text does not read back as the item parsed from the whole list', () => {
    const { items } = parseYaml(KPT_INPUT) as { items: unknown[] };
    expect(verbatimTexts(KPT_INPUT, [items[0], { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other' } }]).size).toBe(0);
  });

  it('gives nothing for layouts it cannot cut (JSON)', () => {
    const json = JSON.stringify(parseYaml(KPT_INPUT));
    expect(verbatimTexts(json, (parseYaml(json) as { items: unknown[] }).items).size).toBe(0);
  });

  it('gives nothing when an alias in one item refers to an anchor in another', () => {
    const text = 'items:\n- &base\n  kind: A\n- *base\n';
    expect(verbatimTexts(text, (parseYaml(text) as { items: unknown[] }).items).size).toBe(0);
  });

  it('keeps items whose anchors and merge keys stay within themselves, and comments that only look like aliases', () => {
    const text = 'items:\n- kind: A\n  base: &b {x: 1}\n  data:\n    <<: *b\n    y: 2\n- kind: B # *not an alias, &not an anchor\n';
    const { items } = parseYaml(text) as { items: unknown[] };
    expect([...verbatimTexts(text, items).values()]).toStrictEqual([
      '- kind: A\n  base: &b {x: 1}\n  data:\n    <<: *b\n    y: 2\n',
      '- kind: B # *not an alias, &not an anchor\n',
    ]);
  });
});
