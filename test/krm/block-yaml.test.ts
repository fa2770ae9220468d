/**
 * The block YAML reader against js-yaml: on every text it reads, the same value (key order included) and the
 * same listener events at the same positions, or it leaves the text to js-yaml. Texts are generated around the
 * subset's edges (styles kpt and kustomize write, and what they never write), and mutated a character at a time.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readBlockYaml, readBlockYamlDocuments, UNSUPPORTED } from '../../src/krm/block-yaml.js';
import { LOAD_PLAIN_TYPES, parseYaml, parseYamlDocuments, parseYamlDocumentsWithJsYaml, parseYamlWithJsYaml, type Listener } from '../../src/krm/yaml.js';
import { SEED } from '../hostile/arbitraries.js';
import { recordCount } from '../hostile/summary.js';

type Event = readonly [string, number, number, string | null, string | null, string | null, string];

function describeResult(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value !== null && typeof value === 'object') return 'mapping';
  return `${typeof value}:${Object.is(value, -0) ? '-0' : String(value)}`;
}

/** Records every event; js-yaml has not set a node's kind, tag and anchor before its first node (undefined): null here. */
function recorder(events: Event[]): Listener {
  return (event, state) =>
    void events.push([event, state.depth, state.position, state.kind ?? null, state.tag ?? null, state.anchor ?? null, event === 'close' ? describeResult(state.result) : '']);
}

function sameKeyOrder(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.every((item, index) => sameKeyOrder(item, b[index]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return true;
  const keys = Object.keys(a);
  return isDeepStrictEqual(keys, Object.keys(b)) && keys.every((key) => sameKeyOrder((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

interface Readers {
  readonly block: (text: string, listen: () => Listener) => unknown;
  readonly jsYaml: (text: string, listener: Listener) => unknown;
}
const ONE_DOCUMENT: Readers = { block: (text, listen) => readBlockYaml(text, LOAD_PLAIN_TYPES, listen), jsYaml: parseYamlWithJsYaml };
const STREAM: Readers = { block: (text, listen) => readBlockYamlDocuments(text, LOAD_PLAIN_TYPES, listen), jsYaml: parseYamlDocumentsWithJsYaml };

/** 'read' when the reader read `text` exactly as js-yaml does, 'left' when it left it to js-yaml; throws otherwise. */
function compare(text: string, readers: Readers = ONE_DOCUMENT): 'read' | 'left' {
  const fast: Event[] = [];
  let listened = 0;
  const value = readers.block(text, () => {
    listened += 1;
    return recorder(fast);
  });
  expect(listened).toBeLessThanOrEqual(1);
  if (value === UNSUPPORTED) return 'left';
  const expected: Event[] = [];
  let jsYaml: unknown;
  try {
    jsYaml = readers.jsYaml(text, recorder(expected));
  } catch (error) {
    throw new Error(`js-yaml refuses what the block reader read (${(error as Error).message.split('\n')[0]}):\n${text}`, { cause: error });
  }
  if (!isDeepStrictEqual(value, jsYaml) || !sameKeyOrder(value, jsYaml)) {
    throw new Error(`values differ:\n${text}\nblock reader: ${JSON.stringify(value)}\njs-yaml:      ${JSON.stringify(jsYaml)}`);
  }
  const at = fast.findIndex((event, index) => !isDeepStrictEqual(event, expected[index]));
  if (at >= 0 || fast.length !== expected.length) {
    const index = at >= 0 ? at : Math.min(fast.length, expected.length);
    throw new Error(`events differ at ${index}:\n${text}\nblock reader: ${JSON.stringify(fast[index])}\njs-yaml:      ${JSON.stringify(expected[index])}`);
  }
  return 'read';
}

/** Written forms of scalars kyaml writes, which the reader takes (numbers, booleans and null included). */
const SCALARS = [
  'a',
  'v1',
  'hello world',
  'x:y',
  'a#b',
  'a #b',
  'http://x.example/p?q=1&r=2',
  'über',
  '日本語',
  'a,b',
  'a]b',
  'end  ',
  '1',
  '-1',
  '+1',
  '0',
  '-0',
  '0x1F',
  '0o17',
  '017',
  '1.5',
  '1.10',
  '.5',
  '1e3',
  '1_000',
  '.inf',
  '-.inf',
  '.nan',
  '12345678901234567890',
  '2024-01-01',
  '~',
  'null',
  'Null',
  'true',
  'True',
  'FALSE',
  'yes',
  'on',
  '=',
  '-x',
  '?x',
  ':x',
  "'q'",
  "'it''s'",
  "''",
  "'a # b'",
  "'a: b'",
  '"dq"',
  '""',
  '"a\\tb"',
  '"say \\"hi\\""',
  '"\\x41\\u00e9\\U0001F600"',
  '"\\N\\_\\L\\P\\e\\0\\/\\ \\a\\b\\v\\f\\r\\n"',
  '"\\uD800x"',
  '"{\\"source\\":[\\"aws.partner/x\\"]}"',
  '{}',
  '[]',
];
/** Written forms only people write, or that are not YAML at all: the reader leaves all of them to js-yaml. */
const EXOTIC_SCALARS = [
  'tab\tin',
  '<<',
  '-',
  '?',
  ':',
  '"bad \\q"',
  '"\\x4"',
  '"\\UFFFFFFFF"',
  '"two\\\nlines"',
  '[ ]',
  '{ }',
  '{a: 1}',
  '[1, 2]',
  '&a x',
  '*a',
  '!t x',
  '!!str 1',
  '|',
  '>-',
  'a: b',
  '%x',
  '@x',
  '`x`',
  'x\u0085y',
  'x\u2028y',
  'a\r',
  "'two\nlines'",
];
const KEYS = ['a', 'b', 'name', 'config.kubernetes.io/index', 'a b', 'x-y', 'k8s', 'ключ', 'a:b', '-k', '?k'];
const EXOTIC_KEYS = ['__proto__', '1', 'true', '~', '<<', "'q'", '"q"', 'k ', '&k a', '? a'];

const mostly = (usual: readonly string[], rare: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...usual) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });

interface Scalar {
  readonly scalar: string;
}
/** A literal block scalar: its header (`|`, `|-`, `|2+`...) and its lines, written one level deeper. */
interface Literal {
  readonly header: string;
  readonly lines: readonly string[];
}
type Node = Scalar | { readonly literal: Literal } | { readonly mapping: ReadonlyArray<readonly [string, Node]> } | { readonly sequence: readonly Node[] };

const literal = fc.record({
  header: mostly(['|', '|-', '|+', '|2', '|2-', '|-2', '|+1'], ['|0', '|--', '|22', '| # c', '>', '>-']),
  lines: fc.array(mostly(['{', '  "x": 1,', '"y": "z"', '}', '', '# not a comment', '- not an entry', 'key: not a key', '   more indented', 'trailing  '], ['\t', ' ']), {
    minLength: 0,
    maxLength: 5,
  }),
});

/** Entries of a mapping: distinct keys but for a rare duplicate (which js-yaml refuses). */
const entries = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<ReadonlyArray<readonly [string, T]>> =>
  fc.oneof(
    { weight: 30, arbitrary: fc.uniqueArray(fc.tuple(mostly(KEYS, EXOTIC_KEYS), value), { minLength: 1, maxLength: 4, selector: ([key]) => key }) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('a', 'b'), value), { minLength: 2, maxLength: 3 }) },
  );

const { root } = fc.letrec<{ node: Node; root: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ scalar: mostly(SCALARS, EXOTIC_SCALARS) }),
    fc.record({ literal }),
    fc.record({ mapping: entries(tie('node')) }),
    fc.record({ sequence: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
  ),
  // A ResourceList is a mapping; other documents are left to js-yaml.
  root: fc.oneof({ weight: 20, arbitrary: fc.record({ mapping: entries(tie('node')) }) }, { weight: 1, arbitrary: tie('node') }),
}));

/** How a text is laid out: the choices kyaml makes, and others. */
interface Style {
  readonly width: number;
  readonly compactLists: boolean;
  readonly afterColon: string;
  readonly afterDash: string;
  /** Per line, in turn: add a comment at the end, a comment line or a blank line before it, or put an entry on the dash's next line. */
  readonly quirks: readonly number[];
}

const style = fc.record({
  width: fc.constantFrom(1, 2, 2, 3, 4),
  compactLists: fc.boolean(),
  afterColon: fc.constantFrom(' ', ' ', '  '),
  afterDash: fc.constantFrom(' ', ' ', '  '),
  quirks: fc.array(fc.nat(30), { minLength: 1, maxLength: 40 }),
});

function render(root: Node, layout: Style, leading: string): string {
  let quirk = 0;
  const next = (): number => layout.quirks[quirk++ % layout.quirks.length]!;
  const lines: string[] = [];
  const push = (line: string): void => {
    const q = next();
    if (q === 1) lines.push(`${' '.repeat(q % 5)}# a comment line`);
    if (q === 2) lines.push('');
    if (q === 3) lines.push('      # deeper comment');
    lines.push(q === 4 ? `${line} # trailing` : q === 5 ? `${line}   ` : line);
  };
  const inline = (value: Node): string | undefined => ('scalar' in value ? value.scalar : 'literal' in value ? value.literal.header : undefined);
  const literalLines = (value: Node, indent: number): void => {
    if ('literal' in value) for (const line of value.literal.lines) push(line === '' ? '' : `${' '.repeat(indent)}${line}`);
  };
  const block = (value: Node, indent: number, first: string | undefined): void => {
    // `first`: the text already on the line (a dash) that this node's first line continues.
    if ('scalar' in value) {
      push(`${first ?? ' '.repeat(indent)}${value.scalar}`);
    } else if ('literal' in value) {
      push(`${first ?? ' '.repeat(indent)}${value.literal.header}`);
      literalLines(value, first === undefined ? indent + layout.width : indent);
    } else if ('mapping' in value) {
      value.mapping.forEach(([key, child], index) => {
        const prefix = index === 0 && first !== undefined ? first : ' '.repeat(indent);
        const text = inline(child);
        if (text !== undefined) {
          push(`${prefix}${key}:${layout.afterColon}${text}`);
          literalLines(child, indent + layout.width);
        } else if ('sequence' in child) {
          push(`${prefix}${key}:`);
          block(child, layout.compactLists ? indent : indent + layout.width, undefined);
        } else {
          push(`${prefix}${key}:`);
          block(child, indent + layout.width, undefined);
        }
      });
    } else {
      value.sequence.forEach((item, index) => {
        const dash = index === 0 && first !== undefined ? `${first}-` : `${' '.repeat(indent)}-`;
        if (next() === 6) {
          // kpt's layout of an item with a leading comment: the comment after the dash, the item below.
          push(`${dash} # leading comment`);
          block(item, indent + 2, undefined);
        } else {
          const prefix = `${dash}${layout.afterDash}`;
          block(item, prefix.length, prefix);
        }
      });
    }
  };
  block(root, 0, undefined);
  return `${leading}${lines.join('\n')}\n`;
}

const documents = fc
  .tuple(root, style, mostly(['', '', '', '# head\n', '\n\n'], ['---\n', '%YAML 1.2\n---\n', '  ', '...\n', '\uFEFF']))
  .map(([root, layout, leading]) => render(root, layout, leading));

/** A character put into, taken out of or replaced in a text: most such texts are not YAML, or not the same YAML. */
const mutated = fc
  .tuple(
    documents,
    fc.nat(),
    fc.constantFrom('insert', 'delete', 'replace'),
    fc.constantFrom(' ', '\n', '-', ':', '#', "'", '"', '{', '[', '&', '*', '!', '|', 'a', '1', '\t', '\r'),
  )
  .map(([text, at, how, c]) => {
    const position = at % text.length;
    if (how === 'insert') return text.slice(0, position) + c + text.slice(position);
    if (how === 'delete') return text.slice(0, position) + text.slice(position + 1);
    return text.slice(0, position) + c + text.slice(position + 1);
  })
  .map((text) => (text.endsWith('\n') ? text : `${text}\n`));

/** Streams of documents as kustomize hands a legacy plugin: `---` between them, around them, empty ones. */
const streams = fc
  .tuple(
    fc.array(fc.oneof({ weight: 8, arbitrary: documents }, { weight: 1, arbitrary: fc.constantFrom('', '# only a comment\n', '\n') }), { minLength: 1, maxLength: 4 }),
    fc.boolean(),
    fc.boolean(),
    mostly(['---\n'], ['--- # c\n', '...\n---\n', '---\n...\n', '--- a: 1\n']),
  )
  .map(([parts, leading, trailing, marker]) => `${leading ? marker : ''}${parts.join(marker)}${trailing ? marker : ''}`)
  .filter((text) => text.endsWith('\n'));

/** Compares the reader with js-yaml on `runs` texts of `texts`; how many the reader read itself. */
function readCount(texts: fc.Arbitrary<string>, runs: number, what: string, readers: Readers = ONE_DOCUMENT): number {
  let read = 0;
  fc.assert(
    fc.property(texts, (text) => {
      if (compare(text, readers) === 'read') read += 1;
    }),
    { numRuns: runs, seed: SEED },
  );
  recordCount(`property cases: block YAML reader against js-yaml (${what})`, runs);
  return read;
}

const RUNS = 6000;
const STREAM_RUNS = 4000;
const MUTATION_RUNS = 6000;

describe('readBlockYaml', () => {
  it('reads the layouts kpt writes, with the events js-yaml shows', () => {
    const text = [
      'apiVersion: config.kubernetes.io/v1',
      'kind: ResourceList',
      'items:',
      '- # Settings of service 0; not an event stream.',
      '  apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata:',
      '    name: service-0 # owned by team 0',
      '    annotations:',
      "      config.kubernetes.io/index: '0'",
      '      config.kubernetes.io/local-config: "true"',
      '  data: {}',
      '- apiVersion: auth0.openmcf.org/v1',
      '  kind: Auth0EventStream',
      '  spec:',
      '    subscriptions:',
      '    - user.*',
      '    - user.created',
      '    status: ~',
      '    replicas: 3',
      'functionConfig:',
      '  data:',
      '',
    ].join('\n');
    expect(compare(text)).toBe('read');
  });

  it('leaves every text outside the subset to js-yaml, and reads every other one as js-yaml does', () => {
    // Not vacuous: most generated texts are of the subset.
    expect(readCount(documents, RUNS, 'generated layouts')).toBeGreaterThan(RUNS / 4);
  });

  it('reads a text mutated by one character as js-yaml does, or leaves it to js-yaml', () => {
    expect(readCount(mutated, MUTATION_RUNS, 'one-character mutations')).toBeGreaterThan(MUTATION_RUNS / 10);
  });

  it('reads a stream of documents as loadAll does, or leaves it to js-yaml', () => {
    expect(readCount(streams, STREAM_RUNS, 'document streams', STREAM)).toBeGreaterThan(STREAM_RUNS / 8);
  });

  it('is only a faster way to js-yaml: parseYaml and parseYamlDocuments read the text with js-yaml, and a fresh listener, whatever goes wrong in it', () => {
    let attempts = 0;
    const listen = (): Listener => {
      attempts += 1;
      return attempts % 2 === 1
        ? () => {
            throw new TypeError('a fault in the block reader');
          }
        : () => undefined;
    };
    expect(parseYaml('a: 1\n', 'input', listen)).toStrictEqual({ a: 1 });
    expect(attempts).toBe(2);
    expect(parseYamlDocuments('a: 1\n---\nb: 2\n', 'input', listen)).toStrictEqual([{ a: 1 }, { b: 2 }]);
    expect(attempts).toBe(4);
  });

  it('asks for one listener per attempt, and none for text it turns away at a glance', () => {
    let asked = 0;
    const listen = (): Listener => {
      asked += 1;
      return () => undefined;
    };
    expect(readBlockYaml('a: &x 1\n', LOAD_PLAIN_TYPES, listen)).toBe(UNSUPPORTED);
    expect(readBlockYaml('a:\tb\n', LOAD_PLAIN_TYPES, listen)).toBe(UNSUPPORTED);
    expect(asked).toBe(1);
    expect(readBlockYaml('a: 1\n', LOAD_PLAIN_TYPES, listen)).toStrictEqual({ a: 1 });
    expect(asked).toBe(2);
  });
});
