import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { itemTexts } from '../../src/krm/item-text.js';

/** What kpt sends: items at indentation 0, comments kept, annotation values single-quoted. */
const kptInput = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- # Leading comment on stream
  apiVersion: auth0.openmcf.org/v1
  kind: Auth0EventStream
  metadata:
    name: my-stream # trailing comment
    annotations:
      config.kubernetes.io/index: '0'
  spec:
    # destination comment
    destinationType: webhook
    description: |
      two lines

      with a blank line
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: other
  data:
    region: "eu"
    retries: '3'
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: function-input
  data: {}
`;

describe('itemTexts', () => {
  it('returns each item as written, quotes and comments included', () => {
    expect(itemTexts(kptInput, 2)).toStrictEqual([
      `- # Leading comment on stream
  apiVersion: auth0.openmcf.org/v1
  kind: Auth0EventStream
  metadata:
    name: my-stream # trailing comment
    annotations:
      config.kubernetes.io/index: '0'
  spec:
    # destination comment
    destinationType: webhook
    description: |
      two lines

      with a blank line
`,
      `- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: other
  data:
    region: "eu"
    retries: '3'
`,
    ]);
  });

  it('gives texts that parse to the same items as the whole list', () => {
    const texts = itemTexts(kptInput, 2)!;
    const whole = load(kptInput) as { items: unknown[] };
    expect(texts.map((text) => (load(text) as unknown[])[0])).toStrictEqual(whole.items);
  });

  it('handles an indented sequence (items:\\n  - ...) by cutting the indentation', () => {
    const text = 'kind: ResourceList\nitems:\n  - apiVersion: v1\n    kind: A\n  - apiVersion: v1\n    kind: B\n';
    expect(itemTexts(text, 2)).toStrictEqual(['- apiVersion: v1\n  kind: A\n', '- apiVersion: v1\n  kind: B\n']);
  });

  it.each([
    ['JSON', '{"kind":"ResourceList","items":[{"kind":"A"}]}', 1],
    ['flow-style items', 'kind: ResourceList\nitems: [{kind: A}]\n', 1],
    ['CRLF line endings', 'items:\r\n- kind: A\r\n', 1],
    ['a count that does not match the parsed items', 'items:\n- kind: A\n', 2],
    ['no items key', 'kind: ResourceList\n', 0],
  ])('gives up on %s', (_name, text, count) => {
    expect(itemTexts(text, count)).toBeUndefined();
  });
});
