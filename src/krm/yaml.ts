/**
 * YAML in and out for the KRM adapter, on js-yaml (5× faster than `yaml`, and the YAML path is the product's speed).
 *
 * Reading follows kyaml: YAML 1.2 core scalars plus YAML 1.1 `<<` merge keys; JSON is read as YAML. Any other
 * tag (`!!binary`, `!!timestamp`, `!!set`, `!custom`) is read as its untagged content, so that items carrying
 * one pass through; the source map (source-map.ts) remembers the tag for when such an item must be rewritten.
 * Writing double-quotes every string a YAML 1.1 reader (go-yaml v2, older kustomize) would take for
 * something else, so `yes`, `on`, `2024-01-01` or `1_000` stay strings wherever the output goes next.
 */
import yaml from 'js-yaml';
import { readBlockYaml, readBlockYamlDocuments, UNSUPPORTED, type ImplicitType, type PlainScalarTypes } from './block-yaml.js';
import { emitYaml } from './emit.js';

/** A problem with the input text itself; its message is meant for the user as is. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Deeper than this, input is refused (js-yaml's own parse limit is the same). */
const MAX_DEPTH = 100;
/** Aliases may multiply the document's distinct nodes by this much... */
const ALIAS_EXPANSION_FACTOR = 10;
/** ...or add this many nodes, whichever allows more. */
const ALIAS_EXPANSION_FLOOR = 1_000_000;
/** Merge keys copied in total; js-yaml's default (10 000) is too low for large packages using a shared `<<: *defaults`. */
const MAX_TOTAL_MERGE_KEYS = 1_000_000;

/** YAML 1.1 merge key, as js-yaml's own `types.merge` (which @types/js-yaml does not export). */
const mergeKey = new yaml.Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: unknown) => data === '<<' || data === null,
});

/** Tags whose meaning survives rewriting the value without its tag: the core schema's own. */
export const CORE_TAGS: ReadonlySet<string> = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map', 'merge'].map((name) => `tag:yaml.org,2002:${name}`));

/**
 * Any tag the core schema does not know: the node is read as its untagged content (a string, list or
 * mapping). The empty prefix makes each of these match every tag js-yaml looks up among "multi" types.
 */
const anyTag = (['scalar', 'sequence', 'mapping'] as const).map(
  (kind) =>
    new yaml.Type('', {
      kind,
      multi: true,
      construct: (data: unknown) => data ?? (kind === 'scalar' ? '' : kind === 'sequence' ? [] : {}),
    }),
);

const LOAD_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [mergeKey], explicit: anyTag });
/** The load schema's implicit types, in the order js-yaml tries them on a plain scalar. */
export const LOAD_IMPLICIT = (LOAD_SCHEMA as unknown as { readonly compiledImplicit: readonly ImplicitType[] }).compiledImplicit;

/** js-yaml 4.3 reads `maxDepth`, `maxTotalMergeKeys` and `listener`; @types/js-yaml does not declare them all. */
type LoadOptions = Omit<yaml.LoadOptions, 'listener'> & {
  readonly maxDepth: number;
  readonly maxTotalMergeKeys: number;
  readonly listener?: Listener;
};

const LOAD_OPTIONS: LoadOptions = {
  schema: LOAD_SCHEMA,
  maxDepth: MAX_DEPTH,
  maxTotalMergeKeys: MAX_TOTAL_MERGE_KEYS,
};

/** What js-yaml's loader shows a listener at the opening and closing of every node. */
export interface ParserState {
  readonly input: string;
  readonly position: number;
  readonly depth: number;
  readonly kind: 'scalar' | 'sequence' | 'mapping' | null;
  readonly result: unknown;
  readonly tag: string | null;
  readonly anchor: string | null;
}

export type Listener = (event: 'open' | 'close', state: ParserState) => void;

/**
 * Plain scalars YAML 1.1 (yaml.org/type, 2005) and go-yaml v2 resolve to something other than a string and
 * that js-yaml's YAML 1.2 schema would otherwise print unquoted. Over-matching only adds quotes. The words hold
 * every word the core schema resolves too (null, booleans, the merge key); the numbers and dates all start
 * with a sign, a digit or `.`, or with `e` and a sign or digit (`e5`).
 */
const YAML_1_1_WORDS: ReadonlySet<string> = new Set([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF'],
  ...['~', 'null', 'Null', 'NULL'],
  ...['<<', '='],
]);
/** Kept apart from the words: one pattern of them all costs V8 some 3 M instructions to compile, in every process. */
const YAML_1_1_NUMBER = new RegExp(
  '^(?:' +
    [
      '[-+]?0b[0-1_]+',
      // Any run of digits and '_' (YAML 1.1 octal and decimal; go-yaml v2 reads `0_9` and `09` as numbers too).
      '[-+]?[0-9][0-9_]*',
      '[-+]?0x[0-9a-fA-F_]+',
      '[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?',
      '[-+]?(?:[0-9][0-9_]*)?\\.[0-9._]*(?:[eE][-+]?[0-9]+)?',
      '[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+',
      '[-+]?\\.(?:inf|Inf|INF)',
      '\\.(?:nan|NaN|NAN)',
      '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?(?:[ \\t]*Z|[-+][0-9]{1,2}(?::[0-9]{2})?)?)?',
    ].join('|') +
    ')$',
);

/**
 * False only for text that no implicit type of the load or the dump schema resolves: text that is not one of
 * the words and does not start as a number or a date. Most keys and values are decided here, so the types'
 * patterns are compiled only in runs that meet a scalar that needs them (test/krm/yaml.test.ts holds this to
 * the types).
 */
export function mayResolveImplicitly(text: string): boolean {
  if (text.length === 0 || YAML_1_1_WORDS.has(text)) return true;
  const first = text.charCodeAt(0);
  if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e) return true;
  if ((first | 0x20) !== 0x65) return false;
  const second = text.charCodeAt(1);
  return (second >= 0x30 && second <= 0x39) || second === 0x2b || second === 0x2d;
}

/** The load schema's plain scalars, as the block reader resolves them. */
export const LOAD_PLAIN_TYPES: PlainScalarTypes = { implicit: LOAD_IMPLICIT, mayResolve: mayResolveImplicitly };

/**
 * Never represents anything (no `predicate`/`instanceOf`), so it only feeds js-yaml's "would this plain
 * scalar read back as another type?" test and makes it quote the strings above.
 */
const yaml11Ambiguous = new yaml.Type('tag:auth0.openmcf.org,2025:yaml-1.1-non-string', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && (YAML_1_1_WORDS.has(data) || YAML_1_1_NUMBER.test(data)),
});

/** A scalar written back exactly as its source spelled it (`0o17`, `1.10`, `12345678901234567890`). */
export class SourceScalar {
  constructor(readonly text: string) {}
}

/** A value written back with the tag it was read with (`!!binary …`, `!custom {…}`). */
export class TaggedValue {
  constructor(
    readonly tag: string,
    readonly value: unknown,
  ) {}
}

const sourceScalar = new yaml.Type('tag:auth0.openmcf.org,2025:source-scalar', {
  kind: 'scalar',
  // Only ever written, never read: no plain scalar is taken for one (which would make every string quoted).
  resolve: () => false,
  instanceOf: SourceScalar,
  represent: (scalar: object) => (scalar as SourceScalar).text,
});

const taggedValue = new yaml.Type('tag:auth0.openmcf.org,2025:tagged', {
  kind: 'scalar',
  resolve: () => false,
  multi: true,
  instanceOf: TaggedValue,
  representName: (tagged: object) => (tagged as TaggedValue).tag,
  represent: (tagged: object) => (tagged as TaggedValue).value as string,
});

const DUMP_SCHEMA = yaml.DEFAULT_SCHEMA.extend({ implicit: [yaml11Ambiguous, sourceScalar], explicit: [taggedValue] });

/** The dump schema's implicit types, as js-yaml tests a plain scalar against them before writing it unquoted. */
export const DUMP_IMPLICIT = (DUMP_SCHEMA as unknown as { readonly compiledImplicit: ReadonlyArray<{ resolve(data: string): boolean }> }).compiledImplicit;
const readsAsOtherType = (text: string): boolean => mayResolveImplicitly(text) && DUMP_IMPLICIT.some((type) => type.resolve(text));

const DUMP_OPTIONS: yaml.DumpOptions = {
  schema: DUMP_SCHEMA,
  noRefs: true,
  lineWidth: -1,
  quotingType: '"',
  noCompatMode: false,
};

/**
 * Decodes UTF-8 bytes strictly (a leading BOM is dropped), naming the first invalid byte and its line.
 * `subject` names the text in messages (`input`, `plugin config`).
 */
export function decodeUtf8(bytes: Uint8Array, subject = 'input'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const line = countNewlines(bytes, offset) + 1;
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    throw new InputError(`${subject} is not valid UTF-8: byte 0x${byte} at line ${line} (byte offset ${offset}); save the files as UTF-8`);
  }
}

/**
 * Parses one YAML (or JSON) document into plain data. An empty document gives `undefined`. Text of the block
 * subset kpt and kustomize write is read by block-yaml.ts, which gives the same values and listener events;
 * `listen` gives the listener for each attempt, as that reader may give up half-way through the text.
 */
export function parseYaml(text: string, subject = 'input', listen?: () => Listener): unknown {
  let value = byBlockReader(() => readBlockYaml(text, LOAD_PLAIN_TYPES, listen));
  if (value === UNSUPPORTED) {
    try {
      value = yaml.load(text, loadOptions(listen?.()));
    } catch (error) {
      throw asInputError(error, subject);
    }
  }
  // Without an anchor there is no alias, and nothing to expand.
  if (text.includes('&')) assertBoundedExpansion(value, subject);
  return value;
}

/** js-yaml's own reading of one document, which block-yaml.ts is held to (for tests). */
export function parseYamlWithJsYaml(text: string, listener?: Listener): unknown {
  return yaml.load(text, loadOptions(listener));
}

/** js-yaml's own reading of a stream of documents, empty ones as null (for tests). */
export function parseYamlDocumentsWithJsYaml(text: string, listener?: Listener): unknown[] {
  const documents: unknown[] = [];
  yaml.loadAll(text, (document: unknown) => documents.push(document), loadOptions(listener));
  return documents;
}

/**
 * Parses a multi-document YAML stream (the block subset by block-yaml.ts, as parseYaml does). Empty documents
 * (`---` alone, comments only) are skipped unless `keepEmpty`, which keeps them as `null` so that documents stay
 * numbered as in the text.
 */
export function parseYamlDocuments(text: string, subject = 'input', listen?: () => Listener, keepEmpty = false): unknown[] {
  const read = byBlockReader(() => readBlockYamlDocuments(text, LOAD_PLAIN_TYPES, listen));
  const documents: unknown[] = read === UNSUPPORTED ? [] : read;
  if (read === UNSUPPORTED) {
    try {
      yaml.loadAll(text, (document: unknown) => documents.push(document), loadOptions(listen?.()));
    } catch (error) {
      throw asInputError(error, subject);
    }
  }
  const present = keepEmpty ? documents : documents.filter((document) => document !== null && document !== undefined);
  if (text.includes('&')) for (const document of present) assertBoundedExpansion(document, subject);
  return present;
}

/** The block reader's answer; UNSUPPORTED also when it fails, for it is only a faster way to js-yaml's answer. */
function byBlockReader<T>(read: () => T | typeof UNSUPPORTED): T | typeof UNSUPPORTED {
  try {
    return read();
  } catch {
    return UNSUPPORTED;
  }
}

function loadOptions(listener: Listener | undefined): yaml.LoadOptions {
  // @types/js-yaml leaves out the depth, tag and anchor that js-yaml's loader shows a listener (ParserState).
  return (listener === undefined ? LOAD_OPTIONS : { ...LOAD_OPTIONS, listener }) as unknown as yaml.LoadOptions;
}

/** Block-style YAML, double quotes, no anchors, no line folding; YAML 1.1-ambiguous strings quoted. */
export function stringifyYaml(value: unknown): string {
  return emitYaml(value, readsAsOtherType) ?? yaml.dump(value, DUMP_OPTIONS);
}

/** js-yaml's own writer, which `stringifyYaml` gives the same output as (for tests). */
export function stringifyYamlWithJsYaml(value: unknown): string {
  return yaml.dump(value, DUMP_OPTIONS);
}

/**
 * Like `stringifyYaml`, with `replace` called for every key and value (`this` is the mapping or list that
 * holds it) so that a value may be swapped for a `SourceScalar` or `TaggedValue`.
 */
export function stringifyYamlWith(value: unknown, replace: (this: unknown, key: string, value: unknown) => unknown): string {
  return yaml.dump(value, { ...DUMP_OPTIONS, replacer: replace });
}

/** A multi-document YAML stream (`---` between documents); empty for no documents. */
export function stringifyYamlDocuments(values: readonly unknown[]): string {
  return values.map((value) => `---\n${stringifyYaml(value)}`).join('');
}

function asInputError(error: unknown, subject: string): Error {
  if (error instanceof yaml.YAMLException) {
    const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
    return new InputError(`${subject} is not valid YAML: ${describeSyntaxError(error.reason)}${where}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * js-yaml quotes input in a few of its messages (an alias name, a tag, a tag handle): text that may be a
 * secret, such as a token that happens to start with `*` or `!`. Those say what is wrong without it; every
 * other message is one of js-yaml's fixed sentences, passed on only if it holds no quote and no tag.
 */
function describeSyntaxError(reason: string): string {
  for (const [prefix, description] of SYNTAX_ERRORS_QUOTING_INPUT) {
    if (reason.startsWith(prefix)) return description;
  }
  return /["'!<>]|: \S/.test(reason) ? 'the text is not well-formed YAML here' : reason;
}

const SYNTAX_ERRORS_QUOTING_INPUT: ReadonlyArray<readonly [string, string]> = [
  ["expected the node content, but found ','", "expected the node content, but found ','"],
  ['unidentified alias', 'unidentified alias: an alias (*name) that no anchor (&name) defined before it; quote a value that starts with *'],
  ['unknown tag', 'unknown tag: quote a value that starts with !'],
  ['cannot resolve a node with', 'a value that does not match its explicit tag (such as !!int on text that is not an integer)'],
  ['unacceptable node kind for', 'an explicit tag on the wrong kind of node (such as !!map on a list)'],
  ['undeclared tag handle', 'undeclared tag handle: a tag of the form !name!suffix whose !name! no %TAG directive declares; quote a value that starts with !'],
  ['there is a previously declared suffix', 'a %TAG directive declares the same handle twice'],
  ['tag name cannot contain such characters', 'malformed tag: quote a value that starts with !'],
  ['tag name is malformed', 'malformed tag: quote a value that starts with !'],
  ['tag prefix is malformed', 'malformed %TAG prefix'],
  ['merge keys exceeded maxTotalMergeKeys', `more than ${MAX_TOTAL_MERGE_KEYS} keys copied by merge keys (<<)`],
  ['nesting exceeded maxDepth', `nesting exceeded maxDepth (${MAX_DEPTH})`],
];

/**
 * js-yaml returns an alias as a shared reference, so a "billion laughs" document loads in microseconds and
 * only explodes later (dumping with `noRefs`, cloning, JSON). Count the nodes the value has once aliases are
 * expanded, in time linear in its distinct nodes, and refuse cycles and runaway expansion.
 */
function assertBoundedExpansion(root: unknown, subject: string): void {
  const expandedSize = new Map<object, number>();
  const inProgress = new Set<object>();
  let distinctNodes = 0;

  const sizeOf = (value: unknown, depth: number): number => {
    if (value === null || typeof value !== 'object') return 1;
    const known = expandedSize.get(value);
    if (known !== undefined) return known;
    if (inProgress.has(value)) {
      throw new InputError(`${subject} is not usable YAML: an alias refers to a node that contains it (a cycle)`);
    }
    if (depth > MAX_DEPTH) {
      throw new InputError(`${subject} is not usable YAML: aliases nest it deeper than ${MAX_DEPTH} levels`);
    }
    inProgress.add(value);
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    let size = 1;
    distinctNodes += 1;
    for (const child of children) {
      if (child === null || typeof child !== 'object') distinctNodes += 1;
      size += sizeOf(child, depth + 1);
    }
    inProgress.delete(value);
    expandedSize.set(value, size);
    return size;
  };

  const expanded = sizeOf(root, 0);
  const allowed = Math.max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * distinctNodes);
  if (expanded > allowed) {
    throw new InputError(
      `${subject} is not usable YAML: its aliases expand ${distinctNodes} written nodes to ${expanded.toExponential(1)} ` +
        `(more than ${allowed}); write the repeated content out or use fewer nested aliases`,
    );
  }
}

function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const { length, min } = utf8Sequence(lead);
    if (length === 0 || i + length > bytes.length) return i;
    let codePoint = length === 1 ? lead : lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const continuation = bytes[i + k] ?? 0;
      if ((continuation & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (continuation & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += length;
  }
  return bytes.length;
}

/** Length of the UTF-8 sequence a lead byte starts, and the smallest code point it may encode (no overlongs). */
function utf8Sequence(lead: number): { length: number; min: number } {
  if (lead < 0x80) return { length: 1, min: 0 };
  if (lead >= 0xc2 && lead < 0xe0) return { length: 2, min: 0x80 };
  if (lead >= 0xe0 && lead < 0xf0) return { length: 3, min: 0x800 };
  if (lead >= 0xf0 && lead < 0xf5) return { length: 4, min: 0x10000 };
  return { length: 0, min: 0 };
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) count += 1;
  return count;
}
