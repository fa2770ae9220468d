/**
 * A stream the function only marks `config.kubernetes.io/local-config: "true"` is written as its own text with
 * the annotation added (comments and spelling kept), or serialized where its text cannot take it; either way
 * the output reads back as exactly the marked item, key order included — for annotations written in any
 * block layout (comments, blank lines, quoting, block scalars, empty values, CRLF, indented lists), without
 * annotations, in flow style or with anchors, in ResourceList mode and in legacy plugin mode.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { addedAnnotations } from '../../src/krm/annotated-text.js';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import { parseYaml, parseYamlDocuments } from '../../src/krm/yaml.js';
import { SEED } from '../hostile/arbitraries.js';
import { recordCount } from '../hostile/summary.js';

const RUNS = 800;
afterAll(() => {
  recordCount('property cases: marked streams written as their text (ResourceList mode)', RUNS);
  recordCount('property cases: marked streams written as their text (legacy plugin mode)', RUNS);
});

const encode = (text: string) => new TextEncoder().encode(text);
const LOCAL_CONFIG = 'config.kubernetes.io/local-config';
const SPEC = `spec:
  destination_type: webhook
  subscriptions: [user.created]
  webhook_configuration:
    webhook_endpoint: https://hooks.example.com/x
    webhook_authorization: {method: bearer, token_secret_ref: {name: s, key: token}}
`;

/** A stream document at column 0, in kpt's layout (`metadata` first). */
const kptStream = `apiVersion: auth0.openmcf.org/v1 # the stream
kind: Auth0EventStream
metadata:
  name: orders # Auth0 name
  annotations:
    internal.config.kubernetes.io/path: 'streams.yaml'
    note: "kept as written"   # a comment
${SPEC}`;

describe('a marked stream', () => {
  it('is its own text with the annotation as the last line of its annotations', () => {
    const run = runResourceList(encode(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${asEntry(kptStream)}`));
    expect(run.exitCode).toBe(0);
    const expected = asEntry(kptStream).replace('   # a comment\n', `   # a comment\n      ${LOCAL_CONFIG}: "true"\n`);
    expect(run.stdout).toContain(expected);
  });

  it('gets a new annotations mapping at the end of its metadata when it has none, in legacy plugin mode too', () => {
    const document = kptStream.replace(/ {2}annotations:\n(?: {4}.*\n)+/, '  labels:\n    team: crm\n\n# after metadata\n');
    const run = runLegacyPlugin('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', encode(document));
    expect(run.exitCode).toBe(0);
    expect(run.stdout.startsWith(`---\n${document.replace('    team: crm\n', `    team: crm\n  annotations:\n    ${LOCAL_CONFIG}: "true"\n`)}`)).toBe(true);
  });

  it('is serialized when its annotations are written in flow style', () => {
    const document = kptStream.replace(/ {2}annotations:\n(?: {4}.*\n)+/, '  annotations: {a: b}\n');
    const run = runLegacyPlugin('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', encode(document));
    expect(run.stdout).toContain(`  annotations:\n    a: b\n    ${LOCAL_CONFIG}: "true"\n`);
    expect(run.stdout).not.toContain('# the stream');
  });
});

describe('addedAnnotations', () => {
  const base = { apiVersion: 'v1', kind: 'A', metadata: { name: 'a', annotations: { x: '1' } }, spec: {} };
  it('is the entries added at the end, and nothing for any other change', () => {
    expect(addedAnnotations(base, { ...base, metadata: { ...base.metadata, annotations: { x: '1', y: 'true' } } })).toStrictEqual([['y', 'true']]);
    expect(addedAnnotations(base, { ...base, metadata: { ...base.metadata, annotations: { y: 'true', x: '1' } } })).toBeUndefined();
    expect(addedAnnotations(base, { ...base, metadata: { ...base.metadata, annotations: { x: '2', y: 'true' } } })).toBeUndefined();
    expect(addedAnnotations(base, { ...base, spec: {}, metadata: { ...base.metadata, annotations: { x: '1', y: 'true' } } })).toBeUndefined();
    expect(addedAnnotations(base, { ...base, metadata: { ...base.metadata, labels: {}, annotations: { x: '1', y: 'true' } } })).toBeUndefined();
    const bare = { apiVersion: 'v1', kind: 'A', metadata: { name: 'a' } };
    expect(addedAnnotations(bare, { ...bare, metadata: { name: 'a', annotations: { y: 'true' } } })).toStrictEqual([['y', 'true']]);
    expect(addedAnnotations(bare, { ...bare, metadata: { annotations: { y: 'true' }, name: 'a' } })).toBeUndefined();
  });
});

const word = fc.stringMatching(/^[a-z][a-z0-9./-]{0,10}$/);

/** An annotation value after `key:`, in any way a string can be written on and after that line. */
const value = (column: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(' plain', " 'single'", ' "double"', ' "two\n' + ' '.repeat(column + 2) + 'lines"', " 'it''s'", ' "0"', " '12'", ' yes', ' ~', '', ' # empty, then a comment'),
    fc
      .tuple(fc.constantFrom('|', '|-', '|+', '>', '>+'), fc.nat(2))
      .map(([header, blank]) => ` ${header}\n${' '.repeat(column + 2)}text\n${' '.repeat(column + 2)}more${'\n'.repeat(blank)}`),
  );

/** What follows an annotation entry on later lines: nothing, blank lines, comments at any column. */
const after = fc.constantFrom('', '\n', '# comment\n', '      # deep comment\n', '\n  # comment\n\n');

interface Layout {
  readonly annotations: 'block' | 'none' | 'flow' | 'anchored';
  readonly entries: ReadonlyArray<readonly [string, string, string]>;
  readonly column: number;
  readonly labelsAfter: boolean;
  readonly crlf: boolean;
  readonly indent: number;
}

const layout: fc.Arbitrary<Layout> = fc
  .record({
    annotations: fc.constantFrom('block', 'block', 'block', 'none', 'flow', 'anchored'),
    column: fc.constantFrom(2, 4),
    labelsAfter: fc.boolean(),
    crlf: fc.boolean(),
    indent: fc.constantFrom(0, 2),
  })
  .chain((shape) =>
    fc
      .uniqueArray(word, { minLength: 1, maxLength: 4 })
      .chain((keys) => fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), value(2 * shape.column), after))))
      .map((entries) => ({ ...shape, entries })),
  );

/** A stream document at column 0 with the metadata the layout says. */
function streamDocument({ annotations, entries, column, labelsAfter }: Layout, name: string): string {
  const pad = ' '.repeat(column);
  const inner = ' '.repeat(column + column);
  const block = entries.map(([key, text, tail]) => `${inner}${key}:${text}\n${tail}`).join('');
  const labels = `${pad}labels:\n${inner}team: crm\n`;
  const written =
    annotations === 'block'
      ? `${pad}annotations:\n${block}`
      : annotations === 'flow'
        ? `${pad}annotations: {${entries.map(([key]) => `${key}: v`).join(', ')}}\n`
        : annotations === 'anchored'
          ? `${pad}annotations: &notes\n${inner}${entries[0]![0]}: v\n${labelsAfter ? '' : `${pad}copy: *notes\n`}`
          : '';
  const metadata = `metadata:\n${pad}name: ${name}\n${labelsAfter ? `${written}${labels}` : `${labels}${written}`}`;
  return `apiVersion: auth0.openmcf.org/v1 # ${name}\nkind: Auth0EventStream\n${metadata}${SPEC}`;
}

/** A document as a list entry at column 0, as kpt writes it (a leading comment on the `-` line). */
function asEntry(document: string): string {
  return document.replace(/^(?=.)/gm, '  ').replace(/^ {2}/, '- ');
}

function lines(text: string, crlf: boolean): string {
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** The input items as the function must write them: streams with the annotation appended, the rest as read. */
function marked(items: readonly unknown[]): unknown[] {
  return items.map((item) => {
    const object = item as { kind: string; metadata: Record<string, unknown> };
    if (object.kind !== 'Auth0EventStream') return item;
    const annotations = (object.metadata['annotations'] ?? {}) as Record<string, unknown>;
    return { ...object, metadata: { ...object.metadata, annotations: { ...annotations, [LOCAL_CONFIG]: 'true' } } };
  });
}

/** Whether the stream's text could take the annotation (block annotations or none, no anchors). */
const keepsText = (shape: Layout) => shape.annotations === 'block' || shape.annotations === 'none';

describe('marked streams in any layout', () => {
  it('read back as the marked items, and keep their text where it can take the annotation (ResourceList mode)', () => {
    fc.assert(
      fc.property(layout, layout, (first, second) => {
        const documents = [streamDocument(first, 'a'), streamDocument(second, 'b')];
        const pad = (text: string) => text.replace(/^(?=.)/gm, ' '.repeat(first.indent));
        const input = lines(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${pad(documents.map(asEntry).join(''))}`, first.crlf);
        const run = runResourceList(encode(input));
        const items = (parseYaml(input) as { items: unknown[] }).items;
        const written = (parseYaml(run.stdout) as { items: unknown[] }).items.slice(0, 2);
        expect(JSON.stringify(written)).toBe(JSON.stringify(marked(items)));
        [first, second].forEach((shape, index) => {
          expect(run.stdout.includes(lines(`# ${index === 0 ? 'a' : 'b'}\n`, first.crlf))).toBe(keepsText(shape));
        });
        expect(runResourceList(encode(run.stdout)).stdout).toBe(run.stdout);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('read back as the marked items, and keep their text where it can take the annotation (legacy plugin mode)', () => {
    fc.assert(
      fc.property(layout, layout, (first, second) => {
        const input = lines([streamDocument(first, 'a'), streamDocument(second, 'b')].map((document) => `---\n${document}`).join(''), first.crlf);
        const run = runLegacyPlugin('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', encode(input));
        // With an error (an annotation that is not a string), the answer is a ResourceList with the results.
        const written = run.exitCode === 0 ? parseYamlDocuments(run.stdout).slice(0, 2) : (parseYaml(run.stdout) as { items: unknown[] }).items.slice(0, 2);
        expect(JSON.stringify(written)).toBe(JSON.stringify(marked(parseYamlDocuments(input))));
        [first, second].forEach((shape, index) => {
          expect(run.stdout.includes(lines(`# ${index === 0 ? 'a' : 'b'}\n`, first.crlf))).toBe(keepsText(shape));
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
