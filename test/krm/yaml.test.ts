import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  DUMP_IMPLICIT,
  InputError,
  LOAD_IMPLICIT,
  decodeUtf8,
  mayResolveImplicitly,
  parseYaml,
  parseYamlDocuments,
  stringifyYaml,
  stringifyYamlDocuments,
} from '../../src/krm/yaml.js';
import { SEED } from '../hostile/arbitraries.js';

/** What a YAML 1.1 reader (go-yaml v2, older kustomize) makes of `text`. */
function readAsYaml11(text: string): unknown {
  return YAML.parse(text, { version: '1.1' });
}

function inputError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('stringifyYaml quoting', () => {
  // Strings a YAML 1.1 reader would take for booleans, null, numbers, dates or merge keys.
  const ambiguous = [
    'yes',
    'Yes',
    'NO',
    'no',
    'on',
    'On',
    'OFF',
    'y',
    'Y',
    'n',
    'N',
    'true',
    'False',
    '~',
    'null',
    'Null',
    '',
    '2024-01-01',
    '2024-1-1',
    '2024-01-01T00:00:00Z',
    '2024-01-01 10:00:00 +02:00',
    '1_000',
    '1__0',
    '-1_000',
    '0_7',
    '0o17',
    '017',
    '0x1F',
    '0x_1f',
    '0b101',
    '0b1_0',
    '+1',
    '-0',
    '1e3',
    'e1',
    '1.5e-3',
    '1.',
    '.5',
    '1.2.3',
    '1_000.5',
    '.inf',
    '-.Inf',
    '.NaN',
    '190:20:30',
    '1:20',
    '1:20.5',
    '<<',
    '=',
  ];

  it('double-quotes every YAML 1.1-ambiguous string', () => {
    const dumped = Object.fromEntries(ambiguous.map((text) => [text, stringifyYaml({ v: text })]));
    const expected = Object.fromEntries(ambiguous.map((text) => [text, `v: ${JSON.stringify(text)}\n`]));
    expect(dumped).toStrictEqual(expected);
  });

  it('reads every one of them back as the same string, in YAML 1.1 and 1.2', () => {
    const value = Object.fromEntries(ambiguous.map((text, index) => [`k${index}`, text]));
    const text = stringifyYaml(value);
    expect({ yaml11: readAsYaml11(text), yaml12: parseYaml(text) }).toStrictEqual({ yaml11: value, yaml12: value });
  });

  it('quotes ambiguous mapping keys too', () => {
    expect(stringifyYaml({ yes: 1, '2024-01-01': 2, '<<': 3, plain: 4 })).toBe('"yes": 1\n"2024-01-01": 2\n"<<": 3\nplain: 4\n');
  });

  it('leaves ordinary strings plain and real scalars unquoted', () => {
    const value = { name: 'orders', event: 'user.*', url: 'https://x.example/a?b=c', count: 1, f: 1.5, t: true, z: null, e: {}, l: [] };
    expect(stringifyYaml(value)).toBe('name: orders\nevent: user.*\nurl: https://x.example/a?b=c\ncount: 1\nf: 1.5\nt: true\nz: null\ne: {}\nl: []\n');
  });

  const fragment = fc.constantFrom(
    '0',
    '1',
    '7',
    '9',
    '_',
    '.',
    'e',
    'E',
    '+',
    '-',
    ':',
    'x',
    'b',
    'o',
    'T',
    'Z',
    ' ',
    'inf',
    'NaN',
    'y',
    'n',
    'yes',
    'no',
    'on',
    'off',
    'null',
    '~',
    '<<',
    '=',
    '2024',
    '-01',
    ':30',
    '0x',
    '0b',
    '#',
  );
  const scalarLike = fc.oneof(
    fc.string(),
    fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join('')),
  );

  it('round-trips any single-line string through YAML 1.1 and 1.2 readers', () => {
    const singleLine = scalarLike.filter((text) => !/[\n\r\u0085\u2028\u2029]/.test(text));
    fc.assert(
      fc.property(singleLine, (value) => {
        const dumped = stringifyYaml({ [value]: value });
        expect({ yaml11: readAsYaml11(dumped), yaml12: parseYaml(dumped) }).toStrictEqual({ yaml11: { [value]: value }, yaml12: { [value]: value } });
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  // Multi-line strings become block scalars; the \`yaml\` package misreads whitespace-only lines in those
  // (go-yaml, as kpt showed, and PyYAML read them as js-yaml does), so only the js-yaml reader checks them.
  it('round-trips any multi-line string', () => {
    const multiLine = fc.array(fc.oneof(scalarLike, fc.constantFrom('\n', ' \n', '\n ', '\t')), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(multiLine, (value) => {
        expect(parseYaml(stringifyYaml({ [value]: value }))).toStrictEqual({ [value]: value });
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('writes shared objects out in full, without anchors, and never folds long lines', () => {
    const shared = { a: 'x'.repeat(200) };
    expect(stringifyYaml({ one: shared, two: shared })).toBe(`one:\n  a: ${'x'.repeat(200)}\ntwo:\n  a: ${'x'.repeat(200)}\n`);
  });
});

describe('mayResolveImplicitly', () => {
  const resolvedByAType = (text: string): boolean => [...LOAD_IMPLICIT, ...DUMP_IMPLICIT].some((type) => type.resolve(text));
  // Characters and pieces the implicit types are made of, and the words they take, in any case.
  const piece = fc.oneof(
    fc.constantFrom(...'0123456789+-._:eExXoObBtTzZ \t~<=#a'.split('')),
    fc.constantFrom('inf', 'nan', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', 'y', 'n', '<<', '2024-', '01-01', '12:30:00', '.5'),
  );
  const anyCase = (text: string, flips: readonly boolean[]): string => [...text].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('');
  const candidate = fc.oneof(
    fc.string(),
    fc.tuple(fc.array(piece, { maxLength: 6 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 6 })).map(([parts, flips]) => anyCase(parts.join(''), flips)),
  );

  it('is true for every scalar an implicit type of the load or dump schema resolves', () => {
    fc.assert(
      fc.property(candidate, (text) => {
        if (resolvedByAType(text)) expect(mayResolveImplicitly(text)).toBe(true);
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it('rules out ordinary names and words, so that they never reach the types', () => {
    for (const text of ['name', 'team-0', 'token', 'namespace', 'enabled', 'eu-west-1', 'data', 'forProvider', 'Workspace', 'ftp']) {
      expect([text, mayResolveImplicitly(text)]).toStrictEqual([text, false]);
    }
    for (const text of ['e1', 'E+5', '.5', '-1', '0x1F', '2024-01-01', '~', 'NULL', 'Off', '<<', '=']) {
      expect([text, resolvedByAType(text), mayResolveImplicitly(text)]).toStrictEqual([text, true, true]);
    }
  });
});

describe('parseYaml', () => {
  it('applies YAML 1.1 merge keys, explicit keys winning', () => {
    const text = 'defaults: &d {region: us-east-1, account: "1"}\nprimary:\n  <<: *d\n  account: "2"\n';
    expect(parseYaml(text)).toStrictEqual({
      defaults: { region: 'us-east-1', account: '1' },
      primary: { region: 'us-east-1', account: '2' },
    });
  });

  it('keeps unquoted dates and YAML 1.1 words as strings (like kyaml)', () => {
    expect(parseYaml('date: 2024-01-01\nflag: yes\nsize: 1_000\n')).toStrictEqual({ date: '2024-01-01', flag: 'yes', size: '1_000' });
  });

  it('reads JSON, tab-indented included', () => {
    const value = { apiVersion: 'v1', items: [{ a: 1, b: [true, null, 'x'] }] };
    expect(parseYaml(JSON.stringify(value, null, '\t'))).toStrictEqual(value);
  });

  it('accepts CRLF line ends', () => {
    expect(parseYaml('a: 1\r\nb:\r\n  - x\r\n  - "y"\r\ntext: |\r\n  one\r\n  two\r\n')).toStrictEqual({
      a: 1,
      b: ['x', 'y'],
      text: 'one\ntwo\n',
    });
  });

  it('gives undefined for an empty document', () => {
    expect(parseYaml('')).toBeUndefined();
  });

  it('refuses duplicate keys, naming the line', () => {
    expect(inputError(() => parseYaml('a: 1\nb: 2\na: 3\n'))).toBe('input is not valid YAML: duplicated mapping key at line 3, column 1');
  });

  it('refuses syntax errors with their position', () => {
    expect(inputError(() => parseYaml('a: [1, 2\nb: 3\n'))).toMatch(/^input is not valid YAML: .+ at line \d+, column \d+$/);
  });

  it('reads tags outside the core schema as their untagged content', () => {
    expect(parseYaml('a: !!binary aGk=\nb: !!set {x, y}\nc: !custom [1]\nd: !<tag:example.com,2000:t> v\ne: !!timestamp 2001-12-14\n')).toStrictEqual({
      a: 'aGk=',
      b: { x: null, y: null },
      c: [1],
      d: 'v',
      e: '2001-12-14',
    });
  });

  it('never quotes input in syntax errors: an alias or tag handle that may be a secret', () => {
    expect([
      inputError(() => parseYaml('token: *s3cr3tT0k3n\n')),
      inputError(() => parseYaml('token: !s3cr3t!T0k3n\n')),
      inputError(() => parseYaml('token: !s3cr{et\n')),
    ]).toStrictEqual([
      'input is not valid YAML: unidentified alias: an alias (*name) that no anchor (&name) defined before it; quote a value that starts with * at line 1, column 20',
      'input is not valid YAML: undeclared tag handle: a tag of the form !name!suffix whose !name! no %TAG directive declares; quote a value that starts with ! at line 1, column 21',
      'input is not valid YAML: tag suffix cannot contain flow indicator characters at line 1, column 16',
    ]);
  });

  it('refuses an alias bomb ("billion laughs") before expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    expect(inputError(() => parseYaml(`${levels.join('\n')}\n`))).toBe(
      'input is not usable YAML: its aliases expand 19 written nodes to 4.9e+8 (more than 1000000); write the repeated content out or use fewer nested aliases',
    );
  });

  it('accepts ordinary reuse of anchors', () => {
    const value = parseYaml('base: &b {x: 1}\nitems: [*b, *b, *b]\n') as { items: unknown[] };
    expect(value).toStrictEqual({ base: { x: 1 }, items: [{ x: 1 }, { x: 1 }, { x: 1 }] });
  });

  it('refuses an alias that refers to its own ancestor', () => {
    expect(inputError(() => parseYaml('a: &x\n  b: *x\n'))).toBe('input is not usable YAML: an alias refers to a node that contains it (a cycle)');
  });

  it('refuses nesting deeper than 100 levels', () => {
    expect(inputError(() => parseYaml(`${'['.repeat(101)}${']'.repeat(101)}`))).toMatch(/^input is not valid YAML: nesting exceeded maxDepth \(100\)/);
  });
});

describe('parseYamlDocuments', () => {
  it('reads every document and skips empty ones', () => {
    expect(parseYamlDocuments('---\na: 1\n---\n# only a comment\n---\nb: 2\n')).toStrictEqual([{ a: 1 }, { b: 2 }]);
  });

  it('gives no documents for empty input', () => {
    expect(parseYamlDocuments('')).toStrictEqual([]);
  });

  it('round-trips with stringifyYamlDocuments', () => {
    const documents = [{ a: 'yes' }, { b: [1, 2] }];
    const text = stringifyYamlDocuments(documents);
    expect({ text, back: parseYamlDocuments(text) }).toStrictEqual({ text: '---\na: "yes"\n---\nb:\n  - 1\n  - 2\n', back: documents });
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 and drops a byte order mark', () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa9]))).toBe('aé');
  });

  it('names the first invalid byte and its line', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('a: 1\nb: "'), 0xff, 0x22, 0x0a]);
    expect(inputError(() => decodeUtf8(bytes))).toBe('input is not valid UTF-8: byte 0xff at line 2 (byte offset 9); save the files as UTF-8');
  });

  it('refuses overlong encodings, surrogates and truncated sequences', () => {
    const messages = [
      [0x61, 0xc0, 0xaf],
      [0x61, 0xed, 0xa0, 0x80],
      [0x61, 0x62, 0xe2, 0x82],
    ].map((bytes) => inputError(() => decodeUtf8(new Uint8Array(bytes))));
    expect(messages).toStrictEqual([
      'input is not valid UTF-8: byte 0xc0 at line 1 (byte offset 1); save the files as UTF-8',
      'input is not valid UTF-8: byte 0xed at line 1 (byte offset 1); save the files as UTF-8',
      'input is not valid UTF-8: byte 0xe2 at line 1 (byte offset 2); save the files as UTF-8',
    ]);
  });
});
