/**
 * Items the function does not own come back exactly as they were written, for every way YAML lets a value be
 * written: numbers past 2^53 and in other spellings, floats with trailing zeros, timestamps, tagged values,
 * every quoting style, block scalars (tabs inside included), flow collections, CRLF files and indented
 * lists — in ResourceList mode and in legacy plugin mode, while the function generates resources beside them.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import { parseYaml, parseYamlDocuments, stringifyYaml } from '../../src/krm/yaml.js';
import { SEED } from '../hostile/arbitraries.js';
import { recordCount } from '../hostile/summary.js';
import { stream } from '../support/krm.js';

const RUNS = 600;
afterAll(() => {
  recordCount('property cases: foreign YAML scalars kept (ResourceList mode)', RUNS);
  recordCount('property cases: foreign YAML scalars kept (legacy plugin mode)', RUNS);
});

const encode = (text: string) => new TextEncoder().encode(text);
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 16 });

/** A value that fits on the line after `key: `. */
const inlineValue: fc.Arbitrary<string> = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.nat(0o7777).map((n) => `0o${n.toString(8)}`),
  fc.nat(0xffff).map((n) => `0x${n.toString(16).toUpperCase()}`),
  fc.tuple(fc.integer({ min: -999, max: 999 }), fc.nat(99)).map(([whole, fraction]) => `${whole}.${fraction}0`),
  fc.constantFrom(
    '1e3',
    '.5',
    '+1',
    '-0',
    '.inf',
    '-.Inf',
    '.NaN',
    '1.0',
    '012',
    '1_000',
    'True',
    'FALSE',
    '~',
    'null',
    '',
    'yes',
    'off',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43.10 -5',
    '12:30:45',
    '!!binary aGVsbG8gd29ybGQ=',
    '!!timestamp 2001-12-14',
    '!!str 0o17',
    '!!int "0o17"',
    '!!float 1.10',
    '!custom value',
    '!<tag:example.com,2000:app/x> v',
    '!!set {a, b}',
    '!!omap [a: 1, b: 2]',
    '!thing {k: 0x1F}',
    '[a, 0o17, "x", 1.10]',
    '{k: 1.10, j: !!binary aGk=}',
    '[]',
    '{}',
    '"a\tb"',
    "'it''s'",
    'plain words here',
  ),
  fc.string({ maxLength: 12 }).map((text) => JSON.stringify(text)),
  printable.map((text) => `'${text.replace(/'/g, "''")}'`),
  fc.tuple(word, fc.constantFrom('# note', '#')).map(([text, comment]) => `${text} ${comment}`),
);

/** A block scalar after `key: `, content lines indented for a key at `column`. */
const blockValue = (column: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('|', '|-', '|+', '>', '>-', '>+', '|2', '>2-', '|1+'),
      fc.array(fc.oneof(printable, fc.constantFrom('', 'a\tb', '\ttab first', '# not a comment', '  more indented', 'trailing  ')), { minLength: 1, maxLength: 4 }),
      fc.nat(2),
    )
    .map(([header, lines, trailingEmpty]) => {
      const explicit = /\d/.exec(header);
      const indent = ' '.repeat(column + (explicit === null ? 2 : Number(explicit[0])));
      // Without an indentation indicator the first non-empty line sets the indentation: it must not start with a blank.
      const body = explicit === null ? lines.map((line, index) => (index === 0 ? `x${line}` : line)) : lines;
      return `${header}\n${body.map((line) => (line === '' ? '' : `${indent}${line}`)).join('\n')}${'\n'.repeat(trailingEmpty)}`;
    });

interface Foreign {
  readonly name: string;
  readonly entries: ReadonlyArray<readonly [string, string]>;
}

const foreignItem: fc.Arbitrary<Foreign> = fc.record({
  name: word,
  entries: fc
    .uniqueArray(
      fc.tuple(word, fc.oneof({ weight: 4, arbitrary: inlineValue.map((text) => ({ text, block: false })) }, { weight: 1, arbitrary: fc.constant({ text: '', block: true }) })),
      {
        selector: ([key]) => key,
        minLength: 1,
        maxLength: 5,
      },
    )
    .chain((pairs) => fc.tuple(...pairs.map(([key, value]) => (value.block ? blockValue(4).map((text) => [key, text] as const) : fc.constant([key, value.text] as const))))),
});

/** The item as a list entry at column 0 (`- apiVersion: …`), its data at column 4. */
function entryText({ name, entries }: Foreign, index: number): string {
  const data = entries.map(([key, value]) => `    ${key}:${value === '' || value.startsWith('\n') ? '' : ' '}${value}`).join('\n');
  return `- apiVersion: example.com/v1 # foreign ${index}\n  kind: Example\n  metadata:\n    name: ${name}-${index}\n  data:\n${data}\n`;
}

/** The same item as a document: the `-` becomes a space and every line moves two columns left. */
function documentText(entry: string): string {
  return ` ${entry.slice(1)}`.replace(/^ {2}/gm, '');
}

const layout = fc.record({ items: fc.array(foreignItem, { minLength: 1, maxLength: 3 }), crlf: fc.boolean(), indent: fc.constantFrom(0, 2) });

const STREAM = stringifyYaml([stream('orders', { annotations: { 'internal.config.kubernetes.io/path': 'orders.yaml' } })]);

function lines(text: string, crlf: boolean): string {
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

describe('foreign items with any YAML scalar', () => {
  it('come back byte for byte in ResourceList mode (with CRLF, with an indented list), values unchanged', () => {
    fc.assert(
      fc.property(layout, ({ items, crlf, indent }) => {
        const entries = items.map(entryText);
        const pad = (text: string) => text.replace(/^(?=.)/gm, ' '.repeat(indent));
        const input = lines(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${pad(entries.join(''))}${pad(STREAM)}`, crlf);
        const run = runResourceList(encode(input));
        expect(run.stderr).toStrictEqual([]);
        expect(run.exitCode).toBe(0);
        for (const entry of entries) expect(run.stdout).toContain(lines(entry, crlf));
        const before = (parseYaml(input) as { items: unknown[] }).items.slice(0, items.length);
        expect((parseYaml(run.stdout) as { items: unknown[] }).items.slice(0, items.length)).toStrictEqual(before);
        expect(run.stdout).toContain('kind: Workspace');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('come back byte for byte in legacy plugin mode (with CRLF), values unchanged', () => {
    fc.assert(
      fc.property(layout, ({ items, crlf }) => {
        const documents = items.map((item, index) => documentText(entryText(item, index)));
        const input = lines(`${documents.map((document) => `---\n${document}`).join('')}---\n${documentText(STREAM)}`, crlf);
        const run = runLegacyPlugin('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', encode(input));
        expect(run.stderr).toStrictEqual([]);
        expect(run.exitCode).toBe(0);
        for (const document of documents) expect(run.stdout).toContain(`---\n${lines(document, crlf)}`);
        expect(parseYamlDocuments(run.stdout).slice(0, items.length)).toStrictEqual(parseYamlDocuments(input).slice(0, items.length));
        expect(run.stdout).toContain('kind: Workspace');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
