import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { asDocument, asEntry, asMappingValue, dedentLines, documentPiece, indentLines, listPieces, valuePiece } from '../../src/krm/item-text.js';
import { parseWithSourceMap } from '../../src/krm/source-map.js';
import type { SourceMap } from '../../src/krm/source-map.js';
import { parseYaml, parseYamlDocuments } from '../../src/krm/yaml.js';

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
# Leads the next item.
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

function parsed(text: string): { value: { items: unknown[]; functionConfig?: unknown }; source: SourceMap } {
  const { value, source } = parseWithSourceMap(text, (input, listen) => parseYaml(input, 'input', listen) as { items: unknown[] });
  return { value, source };
}

function texts(text: string): string[] | undefined {
  const { value, source } = parsed(text);
  return listPieces(source, value.items, '')?.map((piece) => piece.text);
}

describe('listPieces', () => {
  it('cuts each item as written, from its leading comments to its last line, quotes and comments included', () => {
    expect(texts(kptInput)).toStrictEqual([
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
      `# Leads the next item.
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: other
  data:
    region: "eu"
    retries: '3'
`,
    ]);
  });

  it('gives texts that read back as the items of the whole list', () => {
    const pieces = texts(kptInput)!;
    expect(pieces.map((text) => (load(text) as unknown[])[0])).toStrictEqual(parsed(kptInput).value.items);
  });

  it('keeps an indented list as written, and places it at column 0 by moving every line alike', () => {
    const text = 'kind: ResourceList\nitems:\n  - apiVersion: v1\n    kind: A\n    note: |\n      kept\n  - apiVersion: v1\n    kind: B\n';
    const { value, source } = parsed(text);
    const pieces = listPieces(source, value.items, '')!;
    expect(pieces.map((piece) => [piece.text, piece.column, asEntry(piece, 0)])).toStrictEqual([
      ['  - apiVersion: v1\n    kind: A\n    note: |\n      kept\n', 2, '- apiVersion: v1\n  kind: A\n  note: |\n    kept\n'],
      ['  - apiVersion: v1\n    kind: B\n', 2, '- apiVersion: v1\n  kind: B\n'],
    ]);
  });

  it('cuts flow items (JSON) as nodes and writes them as entries whose lines keep their meaning', () => {
    const text = JSON.stringify(
      {
        kind: 'ResourceList',
        items: [
          { kind: 'A', n: 1 },
          { kind: 'B', list: [1, 2] },
        ],
      },
      null,
      2,
    );
    const { value, source } = parsed(`${text}\n`);
    const entries = listPieces(source, value.items, '')!.map((piece) => asEntry(piece, 0));
    expect(entries[0]).toBe('- {\n      "kind": "A",\n      "n": 1\n    }\n');
    expect(load(`items:\n${entries.join('')}`)).toStrictEqual({ items: value.items });
  });

  it('cuts the items of compact JSON, one line of 20,000 items, in one pass over the line', () => {
    // Finding each item's column by scanning back to the line start took time quadratic in the line (53 s here).
    const items = Array.from({ length: 20_000 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { k: 'v'.repeat(100), n: 1.1 } }));
    const { value, source } = parsed(`${JSON.stringify({ kind: 'ResourceList', items })}\n`);
    const pieces = listPieces(source, value.items, '')!;
    expect(pieces).toHaveLength(items.length);
    expect(pieces.every((piece, i) => piece.text === `${JSON.stringify(items[i])}\n` && piece.column === piece.from)).toBe(true);
  });

  it('keeps CRLF line ends and tabs inside items', () => {
    const text = 'items:\r\n- kind: A\r\n  text: "a\tb"\r\n  block: |\r\n    x\ty\r\n- kind: B\r\n';
    expect(texts(text)).toStrictEqual(['- kind: A\r\n  text: "a\tb"\r\n  block: |\r\n    x\ty\r\n', '- kind: B\r\n']);
  });

  it('never moves a quoted line that starts with # into the next item', () => {
    const text = 'items:\n- kind: A\n  q: "one\n# two"\n- kind: B\n';
    expect(texts(text)).toStrictEqual(['- kind: A\n  q: "one\n# two"\n', '- kind: B\n']);
  });

  it.each([
    ['a scalar item', 'items:\n- kind: A\n- just text\n'],
    ['an empty entry', 'items:\n- kind: A\n-\n'],
    ['an alias standing for an item', 'items:\n- &a {kind: A}\n- *a\n'],
  ])('gives no pieces for a list with %s', (_name, text) => {
    expect(texts(text)).toBeUndefined();
  });
});

describe('documentPiece and asDocument', () => {
  it('cuts each document from its first character, keeping directives and tags', () => {
    const text = 'a: 1\n---\n# leading comment\nb: !!binary aGk= # note\n...\n%TAG !e! tag:example.com,2000:\n--- !e!x\nc: 3\n';
    const { value: documents, source } = parseWithSourceMap(text, (input, listen) => parseYamlDocuments(input, 'input', listen, true));
    const pieces = documents.map((_, index) => documentPiece(source, index)!);
    expect(pieces.map((piece) => [asDocument(piece), piece.directives])).toStrictEqual([
      ['a: 1\n', ''],
      ['b: !!binary aGk= # note\n', ''],
      ['!e!x\nc: 3\n', '%TAG !e! tag:example.com,2000:\n'],
    ]);
  });

  it('writes a list entry as a document at column 0', () => {
    const { value, source } = parsed('items:\n  - # about b\n    kind: B\n    note: |2\n        indented\n');
    expect(asDocument(listPieces(source, value.items, '')![0]!)).toBe('# about b\nkind: B\nnote: |2\n    indented\n');
  });
});

describe('valuePiece and asMappingValue', () => {
  it('writes a block mapping on the lines below its key, and a flow one after it', () => {
    const block = parsed(kptInput);
    const flow = parsed('items: []\nfunctionConfig: {data: {a: "1"},\n  kind: ConfigMap}\n');
    expect([asMappingValue(valuePiece(block.source, block.value.functionConfig)!), asMappingValue(valuePiece(flow.source, flow.value.functionConfig)!)]).toStrictEqual([
      '\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: function-input\n  data: {}\n',
      ' {data: {a: "1"},\n  kind: ConfigMap}\n',
    ]);
  });
});

describe('moving lines', () => {
  it('indents and dedents every line alike, leaving empty lines empty', () => {
    expect(indentLines('a\n\n  b\r\nc', 2, true)).toBe('  a\n\n    b\r\n  c');
    expect(indentLines('a\nb\n', 2, false)).toBe('a\n  b\n');
    expect(dedentLines('    a\n\n   b\n c\n', 2)).toBe('  a\n\n b\nc\n');
  });
});
